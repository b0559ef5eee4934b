import type { PolicyDocument } from './types.js';

/** The built-in presets. Every default lives here or in the rules' meta, and the schema says the same. */
export const PRESETS: Record<'recommended' | 'strict', PolicyDocument> = {
  recommended: {
    files: {
      include: ['**'],
      exclude: ['**/node_modules/**'],
      logs: ['**/*.log', '**/logs/**'],
      maxFileSize: '10MB',
    },
    rules: {},
    ignore: [],
  },
  strict: {
    extends: 'recommended',
    rules: {
      'private-key': { severity: 'error', encryptedSeverity: 'error' },
    },
  },
};
