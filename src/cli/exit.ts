import { isUserError } from '../errors.js';
import { EXIT } from './cli.js';
import { debugFromEnv } from '../pipeline/settings.js';
import { logLine } from '../report/safe.js';

/** A message for the terminal or a CI log: each of its lines escaped (it may quote a path or a value from a file). */
const safe = (message: string) => message.split('\n').map(logLine).join('\n');

/**
 * What the CLI says when a command fails, and its exit code: a user error is one clear
 * line (exit 2); anything else is internal (exit 3), with the stack only when debugging
 * (JWT_GUARD_DEBUG or RUNNER_DEBUG) is on.
 */
export function reportFailure(error: unknown, stderr: { write(text: string): unknown }, env: NodeJS.ProcessEnv): number {
  if (isUserError(error)) {
    stderr.write(`jwt-guard: ${safe(error.message)}\n`);
    return EXIT.usage;
  }
  const debug = debugFromEnv(env);
  stderr.write(`jwt-guard: internal error: ${safe((error as Error)?.message ?? String(error))}\n`);
  stderr.write(debug ? `${(error as Error)?.stack ?? ''}\n` : 'Set JWT_GUARD_DEBUG=1 for the stack trace, and report it.\n');
  return EXIT.internal;
}
