/**
 * Errors carry a stable `code`, the way jose's do. A UserError is the user's to fix
 * (bad policy, bad arguments, missing permission): exit code 2 and one clear message.
 * Anything else that escapes is an internal error: exit code 3.
 */
export class JwtGuardError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Something the user can fix: a bad policy, bad arguments, an unreadable input. */
export class UserError extends JwtGuardError {}

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
export function errorKind(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const name = (error as { name?: unknown }).name;
  return [typeof name === 'string' ? name : 'Error', errorCode(error) ?? ''].filter(Boolean).join(' ');
}
