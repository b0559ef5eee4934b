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
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
  /** Standard input, as a stream: read once, by one command. */
  stdin(): AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** The running bundle, which re-enters as a scan worker; absent, scans use one thread. */
  workerEntry?: URL;
  /** The CLI's own file (dist/cli/index.js), for the hook it installs to run. */
  entry?: string;
}

export const EXIT = { clean: 0, findings: 1, usage: 2, internal: 3 } as const;

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

/** The passphrase: --passphrase-file, JWT_GUARD_KEY_PASSPHRASE, or (where allowed) the first line of standard input. */
export async function passphraseFor(io: CliIo, file: unknown, stdinAllowed: boolean): Promise<string> {
  const fromFileOrEnv = await readSecret(io, file, 'JWT_GUARD_KEY_PASSPHRASE', '--passphrase-file');
  if (fromFileOrEnv) return fromFileOrEnv;
  if (stdinAllowed) {
    const first = (await readStdinText(io, INPUT_LIMITS.secret, 'the passphrase')).split(/\r?\n/)[0] ?? '';
    if (first) return first;
  }
  throw new UserError('ERR_USAGE', 'a passphrase is needed: --passphrase-file FILE, JWT_GUARD_KEY_PASSPHRASE, or standard input');
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
  const policy = loadPolicy({ ...(typeof policyOption === 'string' ? { policyPath: path.resolve(io.cwd, policyOption) } : {}), searchRoots: [io.cwd, base] });
  return { policy, base };
}

/** The --policy option every command that reads a policy declares. */
export const POLICY_OPTION = { type: 'string', value: 'FILE', description: 'Policy file (default: .github/jwt-guard.json here, then in the repository root;\nwithout one the built-in recommended policy applies)' } as const;
