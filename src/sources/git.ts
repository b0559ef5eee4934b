import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promisify } from 'node:util';
import { errorCode, UserError } from '../errors.js';

const run = promisify(execFile);

/** The first line of what git said, for a one-line user error. */
function gitSaid(error: unknown): string {
  const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
  const line = stderr.split('\n').find((l) => l.startsWith('fatal:') || l.startsWith('error:')) ?? stderr.split('\n')[0] ?? '';
  return line || (errorCode(error) === 'ENOENT' ? 'git is not installed' : 'git failed');
}

/**
 * Runs git in `cwd` and returns its standard output; a failure (not a repository, a ref
 * or range that does not resolve, a corrupt object) is a usage error with git's own
 * words in one line.
 */
export async function git(cwd: string, args: string[], what: string): Promise<Buffer> {
  try {
    const { stdout } = await run('git', ['-c', 'core.quotepath=off', ...args], { cwd, maxBuffer: 1 << 30, encoding: 'buffer' });
    return stdout;
  } catch (error) {
    throw new UserError('ERR_GIT', `cannot ${what}: ${gitSaid(error)}`);
  }
}

/** git's answer as text, trimmed. */
export const gitText = async (cwd: string, args: string[], what: string) => (await git(cwd, args, what)).toString('utf8').trim();

export interface BlobContent {
  oid: string;
  /** The blob's bytes, or undefined when git could not give them (a missing or corrupt object). */
  data?: Buffer;
  /** Why the blob could not be read. */
  missing?: string;
}

/**
 * One long-lived `git cat-file --batch` process: blob ids go in, contents come out, in
 * order; never a process per blob. Memory is bounded by the largest blob in flight.
 */
export class CatFile {
  private readonly child: ChildProcessWithoutNullStreams;
  /** What git has sent and not yet been taken, in the chunks it came in (joined only when taken: a large blob is copied once). */
  private chunks: Buffer[] = [];
  private length = 0;
  private waiting: (() => void) | undefined;
  private ended = false;
  private failure: string | undefined;

  constructor(cwd: string) {
    this.child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.wake();
    });
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    this.child.on('close', () => {
      this.ended = true;
      if (stderr.trim()) this.failure = stderr.trim().split('\n')[0];
      this.wake();
    });
    this.child.on('error', (error) => {
      this.ended = true;
      this.failure = errorCode(error) === 'ENOENT' ? 'git is not installed' : String(error);
      this.wake();
    });
    this.child.stdin.on('error', () => undefined); // a closed pipe is reported through 'close'
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  /** Waits until at least `bytes` bytes are buffered; false when the process ended first. */
  private async fill(bytes: number): Promise<boolean> {
    while (this.length < bytes) {
      if (this.ended) return false;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    return true;
  }

  /** The offset of the first line break buffered, or -1. */
  private newline(): number {
    let offset = 0;
    for (const chunk of this.chunks) {
      const at = chunk.indexOf(10);
      if (at !== -1) return offset + at;
      offset += chunk.length;
    }
    return -1;
  }

  /** Takes the first `bytes` buffered bytes (which must be there). */
  private take(bytes: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= bytes) {
      const out = first.subarray(0, bytes);
      if (first.length === bytes) this.chunks.shift();
      else this.chunks[0] = first.subarray(bytes);
      this.length -= bytes;
      return out;
    }
    const all = Buffer.concat(this.chunks);
    this.chunks = all.length > bytes ? [all.subarray(bytes)] : [];
    this.length -= bytes;
    return all.subarray(0, bytes);
  }

  /** Reads the given objects, in order. */
  async *read(oids: Iterable<string>): AsyncGenerator<BlobContent> {
    const list = [...oids];
    // Written as git reads it: the pipe's backpressure is Node's, so this never blocks the reading below.
    this.child.stdin.write(list.length > 0 ? `${list.join('\n')}\n` : '');
    for (const oid of list) {
      let newline = this.newline();
      while (newline === -1) {
        if (!(await this.fill(this.length + 1))) {
          yield { oid, missing: `git cat-file stopped (${this.failure ?? 'no output'})` };
          return;
        }
        newline = this.newline();
      }
      const header = this.take(newline + 1).toString('utf8').trim();
      if (header.endsWith(' missing')) {
        yield { oid, missing: 'the object is missing from the repository' };
        continue;
      }
      const size = Number(header.split(' ')[2]);
      if (!Number.isInteger(size) || !(await this.fill(size + 1))) {
        yield { oid, missing: `git cat-file gave an unreadable answer (${header.slice(0, 80)})` };
        return;
      }
      const data = Buffer.from(this.take(size + 1).subarray(0, size));
      yield { oid, data };
    }
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

/** A change to one path in one commit, as `git log --raw` reports it. */
export interface RawChange {
  commit: string;
  /** Author time, seconds since the epoch. */
  time: number;
  status: string;
  oldBlob: string;
  newBlob: string;
  newMode: string;
  path: string;
}

const ZERO = /^0+$/;

/**
 * Every change to every path in the commits `revisions` select, oldest first (parents
 * before children), without a content diff: `git log --raw`, merges compared with their
 * first parent so that what a merge brings (or changes by hand) is seen too.
 */
export async function* rawChanges(cwd: string, revisions: string[], what: string): AsyncGenerator<RawChange> {
  const out = await git(cwd, ['log', '--raw', '-z', '--no-abbrev', '--no-renames', '--diff-merges=first-parent', '--topo-order', '--reverse', '--format=%x00%H %at', ...revisions, '--'], what);
  const tokens = out.toString('utf8').split('\0');
  let commit = '';
  let time = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!.replace(/^\n+/, '');
    if (token === '') continue;
    if (token.startsWith(':')) {
      const [oldMode, newMode, oldBlob, newBlob, status] = token.slice(1).split(' ');
      const path = tokens[++i] ?? '';
      if (!status || !oldBlob || !newBlob) continue;
      yield { commit, time, status: status[0]!, oldBlob: ZERO.test(oldBlob) ? '' : oldBlob, newBlob: ZERO.test(newBlob) ? '' : newBlob, newMode: newMode ?? oldMode ?? '', path };
      continue;
    }
    const space = token.indexOf(' ');
    commit = token.slice(0, space);
    time = Number(token.slice(space + 1));
  }
}

/** The blobs of a tree-ish by path (`git ls-tree -r`): files only, links and submodules aside. */
export async function treeBlobs(cwd: string, treeish: string, what: string): Promise<Map<string, string>> {
  const out = await git(cwd, ['ls-tree', '-r', '-z', '--full-tree', treeish], what);
  const blobs = new Map<string, string>();
  for (const entry of out.toString('utf8').split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [mode, type, oid] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && mode !== '120000' && oid) blobs.set(entry.slice(tab + 1), oid);
  }
  return blobs;
}
