/**
 * The reading threads' bundle, beside each entry's own (dist/cli/worker.js,
 * dist/action/worker.js). A variable rather than a literal in `new URL(…, import.meta.url)`,
 * which the bundler would take for an asset to copy.
 */
export const WORKER_FILE = 'worker.js';
