import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { loadPolicy } from '../policy/load.js';
import type { Policy } from '../policy/types.js';
import { safeText } from '../report/safe.js';
import { gitTopLevel } from '../sources/files.js';
import { formatSize } from '../util/format.js';
import { INPUT_LIMITS, readRegularFile } from '../util/read-file.js';

/** What the CLI may touch, injected so tests run it in-process. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string | Uint8Array): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Standard input, as a stream: read once, by one command. */
  stdin(): AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** The running bundle, which re-enters as a scan worker; absent, scans use one thread. */
  workerEntry?: URL;
  /** The CLI's own file (dist/cli/index.js), for the hook it installs to run. */
  entry?: string;
  /** Asks on the terminal without echo (as ssh-keygen does); present only when standard input and error are a terminal. */
  prompt?(question: string): Promise<string>;
}

export const EXIT = { clean: 0, findings: 1, usage: 2, internal: 3 } as const;

/** --exit-code: what a run with findings exits with, for CI systems that tell "findings" from "failed" by code. */
export const EXIT_CODE_OPTION = { type: 'string', value: 'N', description: 'Exit with N (1 to 125, not 2 or 3) instead of 1 when there are findings' } as const;

/** The --exit-code value: 1 to 125, except 2 and 3, which mean a usage and an internal error. */
export function parseExitCode(value: unknown): number {
  if (value === undefined) return EXIT.findings;
  const text = String(value);
  const code = /^[0-9]{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(code >= 1 && code <= 125) || code === EXIT.usage || code === EXIT.internal) {
    throw new UserError('ERR_USAGE', `--exit-code must be a number from 1 to 125 other than 2 (usage error) and 3 (internal error), not '${safeText(text.slice(0, 20))}'${code === 0 ? ': to pass on findings, use --fail-on none' : ''}`);
  }
  return code;
}

/**
 * Reads a file named by an option: a regular file of bounded size. Messages name the
 * option, never its value: a passphrase or a token pasted where a file name belongs must
 * not be echoed.
 */
export async function readInput(file: string, option: string, maxBytes: number = INPUT_LIMITS.key): Promise<string> {
  return readRegularFile(file, { maxBytes, what: `${option} (the value given is not repeated, in case it is a secret)`, code: 'ERR_USAGE' });
}

/** Standard input, whole, for the small inputs commands take there (tokens, a key, a passphrase), up to `maxBytes`. */
export async function readStdinText(io: CliIo, maxBytes: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of io.stdin()) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += data.length;
    if (total > maxBytes) throw new UserError('ERR_USAGE', `${what} on standard input is larger than ${formatSize(maxBytes)}, more than it can be`);
    chunks.push(data);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A secret from the file an option names, else from an environment variable. */
export async function readSecret(io: CliIo, file: unknown, variable: string, option: string): Promise<string | undefined> {
  if (typeof file === 'string') return (await readInput(path.resolve(io.cwd, file), option)).replace(/\r?\n$/, '');
  return io.env[variable] || undefined;
}

/**
 * The passphrase: --passphrase-file, JWT_GUARD_KEY_PASSPHRASE, a prompt without echo on a
 * terminal (twice for a new one, as ssh-keygen asks), or (where allowed) the first line of
 * standard input.
 */
export async function passphraseFor(io: CliIo, file: unknown, stdinAllowed: boolean, use: 'new' | 'existing' = 'new'): Promise<string> {
  const fromFileOrEnv = await readSecret(io, file, 'JWT_GUARD_KEY_PASSPHRASE', '--passphrase-file');
  if (fromFileOrEnv) return fromFileOrEnv;
  if (io.prompt) {
    const first = await io.prompt(use === 'new' ? 'Enter passphrase: ' : 'Passphrase for the signing key: ');
    if (!first) throw new UserError('ERR_USAGE', 'no passphrase given: an encrypted key needs one');
    if (use === 'new' && (await io.prompt('Enter same passphrase again: ')) !== first) throw new UserError('ERR_USAGE', 'the passphrases do not match: nothing was written');
    return first;
  }
  if (stdinAllowed) {
    const first = (await readStdinText(io, INPUT_LIMITS.secret, 'the passphrase')).split(/\r?\n/)[0] ?? '';
    if (first) return first;
  }
  throw new UserError('ERR_USAGE', 'a passphrase is needed: --passphrase-file FILE, JWT_GUARD_KEY_PASSPHRASE, a terminal to type it on, or standard input');
}

/** A key helper never replaces a file (it may be the only copy of a key) unless told to with --force. */
export function refuseOverwrite(files: string[], io: CliIo, force: boolean): void {
  if (force) return;
  const existing = files.find((file) => existsSync(file));
  if (existing) throw new UserError('ERR_EXISTS', `${safeText(path.relative(io.cwd, existing) || existing)} already exists; not overwriting it (it may be the only copy of a key): move it away, or pass --force to replace it`);
}

export function keyForm(value: unknown): 'jwe' | 'pkcs8' {
  if (value === undefined || value === 'jwe' || value === 'pkcs8') return (value ?? 'jwe') as 'jwe' | 'pkcs8';
  throw new UserError('ERR_USAGE', `--form must be jwe or pkcs8, not '${String(value)}'`);
}

/** The policy for a command run in `io.cwd`: --policy, else the default file in the current directory or the repository root. */
export async function commandPolicy(io: CliIo, policyOption: unknown): Promise<{ policy: Policy; base: string }> {
  const base = (await gitTopLevel(io.cwd, io.env)) ?? io.cwd;
  const policy = loadPolicy({ ...policyChoice(io, policyOption), searchRoots: [io.cwd, base] });
  return { policy, base };
}

/** The policy named by --policy, else by JWT_GUARD_POLICY (relative to the working directory); none: the policy is searched for. */
export function policyChoice(io: CliIo, policyOption: unknown): { policyPath?: string; policyFrom?: string } {
  if (typeof policyOption === 'string') return { policyPath: path.resolve(io.cwd, policyOption) };
  const fromEnv = io.env.JWT_GUARD_POLICY;
  return fromEnv ? { policyPath: path.resolve(io.cwd, fromEnv), policyFrom: 'JWT_GUARD_POLICY' } : {};
}

/**
 * Standard input passed through to standard output as it is read (`--tee`), byte for byte,
 * so that a piped step's output still reaches the log. `chunks` is what the scan reads;
 * `rest()` passes through what it did not (input beyond files.maxFileSize), once it is done.
 */
export function teeInput(io: CliIo): { chunks: AsyncIterable<Uint8Array | string>; rest(): Promise<void> } {
  const source = io.stdin();
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<Uint8Array | string>)[Symbol.iterator]();
  let done = false;
  const next = async (): Promise<Uint8Array | string | undefined> => {
    if (done) return undefined;
    const step = await iterator.next();
    if (step.done) {
      done = true;
      return undefined;
    }
    io.stdout.write(step.value);
    return step.value;
  };
  return {
    // Not a for-await over the source: the scan may stop early, and the rest must still pass through.
    chunks: {
      async *[Symbol.asyncIterator]() {
        for (let chunk = await next(); chunk !== undefined; chunk = await next()) yield chunk;
      },
    },
    async rest() {
      while ((await next()) !== undefined);
    },
  };
}

/** The --policy option every command that reads a policy declares. */
export const POLICY_OPTION = { type: 'string', value: 'FILE', description: 'Policy file (default: JWT_GUARD_POLICY, else .github/jwt-guard.json, jwt-guard.json\nor .jwt-guard.json here, then in the repository root; without one the built-in\nrecommended policy applies)' } as const;
