import type * as coreModule from '@actions/core';

/**
 * What the Action uses of @actions/core, injected (main.ts passes the real module), so
 * that tests run the Action with their own and no module is mocked.
 */
export type ActionCore = Pick<
  typeof coreModule,
  'getInput' | 'setOutput' | 'setFailed' | 'setSecret' | 'info' | 'debug' | 'error' | 'warning' | 'notice' | 'summary' | 'isDebug' | 'startGroup' | 'endGroup'
>;
