import { availableParallelism } from 'node:os';
import { UserError } from '../errors.js';
import type { HistorySelection } from '../sources/history.js';
import type { FailOn } from '../report/summary.js';

/**
 * One typed settings object for a scan, built and validated up front by either shell
 * (CLI flags or Action inputs); nothing past this point reads flags or inputs.
 */
export type Format = 'text' | 'json' | 'sarif';

export interface ScanSettings {
  /** Absolute files and directories to scan (each exists); the first directory is where the policy is looked for first. */
  targets: string[];
  /** Per target: whether it is a file (a directory otherwise). */
  targetsAreFiles?: boolean[];
  /** False when only standard input is scanned (`--stdin-log` without a path). */
  scanFiles: boolean;
  /** Absolute directory that paths are reported relative to (the repository root). */
  base: string;
  /** Explicit policy file. */
  policyPath?: string;
  /** Where policyPath came from when not an option (`JWT_GUARD_POLICY`). */
  policyFrom?: string;
  format: Format;
  failOn: FailOn;
  /** Baseline file whose findings are accepted. */
  baseline?: string;
  /** Write every current finding to this baseline file. */
  writeBaseline?: string;
  /** Standard input, scanned as a log: a stream, read once (spooled, so memory stays bounded). */
  stdinLog?: () => AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** Standard input is a unified diff (--stdin-diff): read as the files it adds, on their own paths and lines. */
  stdinDiff?: boolean;
  /** Tokens to verify (the Action's tokens input). */
  tokens?: string[];
  /** The HMAC secret for checking HS* tokens. */
  hmacSecret?: string;
  /** Reading threads: the worker bundle (dist/<entry>/worker.js), and a forced count (JWT_GUARD_THREADS). */
  parallel?: { entry: URL; threads?: number };
  /** JWT_GUARD_DEBUG (or the runner's debug logging): analysis failures say where they were thrown. */
  debug?: boolean;
  /** Read the repository's history, a range of it, or its staged changes, instead of the work tree. */
  history?: HistorySelection;
  /** In a shallow clone, fetch what the history selection needs (the Action does; the CLI refuses instead). */
  fetchHistory?: boolean;
}

/** Whether debugging output is asked for: JWT_GUARD_DEBUG, or the runner's debug logging. */
export const debugFromEnv = (env: NodeJS.ProcessEnv): boolean => Boolean(env.JWT_GUARD_DEBUG || env.RUNNER_DEBUG);

/** JWT_GUARD_THREADS, when it names a thread count. */
/**
 * JWT_GUARD_THREADS, when it names a thread count: at most one per core, since reading
 * threads beyond the cores only contend (64 threads on 2 cores ran ten times slower).
 */
export function threadsFromEnv(env: NodeJS.ProcessEnv, cores = availableParallelism()): number | undefined {
  const value = env.JWT_GUARD_THREADS;
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9][0-9]?$/.test(value)) throw new UserError('ERR_USAGE', `JWT_GUARD_THREADS must be a number of threads from 1 to 99, not '${value}'`);
  return Math.min(Number(value), Math.max(1, cores));
}

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'note', 'none'];

export function parseFormat(value: string, where: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UserError('ERR_USAGE', `${where} must be one of ${FORMATS.join(', ')}, not '${value}'`);
}

export function parseFailOn(value: string, where: string): FailOn {
  if ((FAIL_ON as readonly string[]).includes(value)) return value as FailOn;
  throw new UserError('ERR_USAGE', `${where} must be one of ${FAIL_ON.join(', ')}, not '${value}'`);
}
