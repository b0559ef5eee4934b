import * as core from '@actions/core';
import { runAction } from './run.js';

/** The Action's entry point: hand the real toolkit and environment to runAction. */
await runAction(core, process.env);
