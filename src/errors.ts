/**
 * Every code a jwt-guard error may carry: a closed set, the way jose's errors have one,
 * so that callers and tests match on codes, never on messages (docs/architecture.md,
 * "Errors"). Node's and jose's own codes (ERR_OSSL_*, ERR_JWT_EXPIRED, ...) are read with
 * errorCode and matched where they are documented.
 */
export type ErrorCode =
  // usage and inputs: exit 2
  | 'ERR_USAGE'
  | 'ERR_INPUT'
  | 'ERR_EXISTS'
  | 'ERR_WRITE'
  | 'ERR_NOTHING_SELECTED'
  // the policy and what it names: exit 2, before anything is scanned
  | 'ERR_POLICY_INVALID'
  | 'ERR_POLICY_NOT_FOUND'
  | 'ERR_POLICY_AMBIGUOUS'
  | 'ERR_POLICY_UNREADABLE'
  | 'ERR_DURATION'
  | 'ERR_SIZE'
  | 'ERR_BASELINE_INVALID'
  | 'ERR_BASELINE_UNREADABLE'
  | 'ERR_TRUSTED_KEYS'
  // git and the GitHub API: exit 2 (a ref, a range, a permission or a run id to fix)
  | 'ERR_GIT'
  | 'ERR_GITHUB_API'
  // minting and key helpers: exit 2, and no token anywhere
  | 'ERR_MINT_KEY'
  | 'ERR_MINT_REFUSED'
  | 'ERR_KEYGEN'
  | 'ERR_PASSPHRASE'
  // content that is not what it looks like: never escapes an analyser (it means "not a key")
  | 'ERR_MALFORMED'
  // a checked token no trusted key verifies: a finding (token-signature), not an error
  | 'ERR_NO_TRUSTED_KEY';

/**
 * Errors carry a stable `code`. A UserError is the user's to fix (bad policy, bad
 * arguments, missing permission): exit code 2 and one clear message. Anything else that
 * escapes is an internal error: exit code 3.
 */
export class JwtGuardError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Something the user can fix: a bad policy, bad arguments, an unreadable input. */
export class UserError extends JwtGuardError {}

/**
 * Content that is not what it looked like: a binary container (SSH wire format, OpenPGP
 * packets) cut short or of an unknown kind. Analysers read it as "not a key"; it is never
 * the user's to fix and never escapes a scan.
 */
export class ContentError extends JwtGuardError {
  constructor(message: string) {
    super('ERR_MALFORMED', message);
  }
}

/** The policy file is invalid; `problems` lists each one with its place. */
export class PolicyError extends UserError {
  readonly problems: PolicyProblem[];
  constructor(problems: PolicyProblem[]) {
    super('ERR_POLICY_INVALID', formatProblems(problems));
    this.problems = problems;
  }
}

export interface PolicyProblem {
  /** Path of the policy file, or `<built-in>` for a preset. */
  file: string;
  /** JSON pointer of the offending value (RFC 6901), '' for the document. */
  pointer: string;
  line: number;
  column: number;
  message: string;
}

function formatProblems(problems: PolicyProblem[]): string {
  const lines = problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.pointer || '(document)'}: ${p.message}`);
  return `invalid policy:\n  ${lines.join('\n  ')}`;
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** The `code` of an error (ours, node's, jose's), when it has a string one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * What an error was, in words safe to print: its class and code, never its message,
 * which may quote the content that caused it (a parser's message quotes the text).
 */
export function errorKind(error: unknown, debug = false): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const name = (error as { name?: unknown }).name;
  const kind = [typeof name === 'string' ? name : 'Error', errorCode(error) ?? ''].filter(Boolean).join(' ');
  if (!debug) return kind;
  // Under JWT_GUARD_DEBUG: where it was thrown, from the stack's frames only (the first line is the message).
  const frames = String((error as { stack?: unknown }).stack ?? '').split('\n').slice(1, 4).map((frame) => frame.trim().replace(/^at /, ''));
  return frames.length > 0 ? `${kind} at ${frames.join(' < ')}` : kind;
}
