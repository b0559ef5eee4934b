import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { availableParallelism } from 'node:os';
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

/**
 * A git process, given `input` (or nothing) on its standard input, whose output is read
 * as it comes; `finished` settles when it exits: rejected, with git's own words in one
 * line, when it failed.
 */
function startGit(cwd: string, args: string[], what: string, input = '') {
  const child = spawn('git', ['-c', 'core.quotepath=off', ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.on('error', () => undefined); // a git that exits early is reported by its exit status
  child.stdin.end(input);
  const finished = new Promise<void>((resolve, reject) => {
    const fail = (said: string) => reject(new UserError('ERR_GIT', `cannot ${what}: ${said}`));
    child.on('error', (error) => fail(errorCode(error) === 'ENOENT' ? 'git is not installed' : String(error)));
    child.on('close', (status) => (status === 0 ? resolve() : fail(gitSaid({ stderr }))));
  });
  finished.catch(() => undefined); // awaited by the caller once the output is read
  return { child, finished };
}

/** Runs git with `input` on its standard input; as git() otherwise. */
export async function gitWith(cwd: string, args: string[], input: string, what: string): Promise<Buffer> {
  const { child, finished } = startGit(cwd, args, what, input);
  const out: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  await finished;
  return Buffer.concat(out);
}

/** git's answer as text, trimmed. */
export const gitText = async (cwd: string, args: string[], what: string) => (await git(cwd, args, what)).toString('utf8').trim();

/** Whether `dir` is a bare repository (a mirror, a server's copy): its history can be read, it has no work tree or index. */
export async function isBareRepository(dir: string): Promise<boolean> {
  try {
    return (await gitText(dir, ['rev-parse', '--is-bare-repository'], 'read the repository')) === 'true';
  } catch {
    return false;
  }
}

export interface BlobContent<T> {
  /** What was asked for. */
  item: T;
  /** The blob's bytes, or undefined when git could not give them (a missing or corrupt object). */
  data?: Buffer;
  /** Why the blob could not be read. */
  missing?: string;
}

/** Bytes of git's output held ahead of the reader before git is made to wait. */
const HIGH_WATER = 8 * 1024 * 1024;

/**
 * One long-lived `git cat-file --batch` process: blob ids go in, contents come out, in
 * order. git is paused while more than a few megabytes wait to be read, so memory is
 * bounded by the largest blob in flight, not by the history.
 */
class Batch {
  private readonly child: ChildProcessWithoutNullStreams;
  /** What git has sent and not yet been taken, in the chunks it came in (joined only when taken: a large blob is copied once). */
  private chunks: Buffer[] = [];
  private length = 0;
  /** The bytes the reader waits for: git is not paused below this. */
  private wanted = 0;
  private paused = false;
  private waiting: (() => void) | undefined;
  private ended = false;
  private failure: string | undefined;

  constructor(cwd: string) {
    this.child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      if (this.length >= HIGH_WATER && this.length >= this.wanted) this.pause(true);
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

  private pause(pause: boolean): void {
    if (pause === this.paused) return;
    this.paused = pause;
    if (pause) this.child.stdout.pause();
    else this.child.stdout.resume();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  /** Waits until at least `bytes` bytes are buffered; false when the process ended first. */
  private async fill(bytes: number): Promise<boolean> {
    this.wanted = bytes;
    while (this.length < bytes) {
      if (this.ended) return false;
      this.pause(false);
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
    let out: Buffer;
    const first = this.chunks[0];
    if (first && first.length >= bytes) {
      out = first.subarray(0, bytes);
      if (first.length === bytes) this.chunks.shift();
      else this.chunks[0] = first.subarray(bytes);
    } else {
      // Joined from as many chunks as it spans, and no more.
      let count = 0;
      let covered = 0;
      while (covered < bytes) covered += this.chunks[count++]!.length;
      const joined = Buffer.concat(this.chunks.slice(0, count), covered);
      this.chunks.splice(0, count);
      if (covered > bytes) this.chunks.unshift(joined.subarray(bytes));
      out = joined.subarray(0, bytes);
    }
    this.length -= bytes;
    if (this.length < HIGH_WATER) this.pause(false);
    return out;
  }

  /** Asks for a blob. */
  ask(oid: string): void {
    this.child.stdin.write(`${oid}\n`);
  }

  /** The next answer from git, for `item`. */
  async one<T extends { oid: string }>(item: T): Promise<BlobContent<T>> {
    let newline = this.newline();
    while (newline === -1) {
      if (!(await this.fill(this.length + 1))) return { item, missing: `git cat-file stopped (${this.failure ?? 'no output'})` };
      newline = this.newline();
    }
    const header = this.take(newline + 1).toString('utf8').trim();
    if (header.endsWith(' missing')) return { item, missing: 'the object is missing from the repository' };
    const size = Number(header.split(' ')[2]);
    if (!Number.isInteger(size) || !(await this.fill(size + 1))) return { item, missing: `git cat-file gave an unreadable answer (${header.slice(0, 80)})` };
    // A view of what git sent, not a copy: the blob is analysed and let go before long.
    return { item, data: this.take(size + 1).subarray(0, size) };
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

/**
 * Blob contents from a repository, read by long-lived `git cat-file --batch` processes
 * (two on a machine with the cores for it, so that inflating deltas, git's share of the
 * work, is not one core's), never a process per blob. Items are given out in turn and
 * their blobs come back in the order asked.
 */
export class CatFile {
  private readonly batches: Batch[];

  constructor(cwd: string, processes = Math.min(2, availableParallelism())) {
    this.batches = Array.from({ length: Math.max(1, processes) }, () => new Batch(cwd));
  }

  /**
   * Reads the blob of each item, in order, asking git for each as soon as the items
   * give it (they may still be being found: a history walk feeds this as it goes). An
   * error the items raise is raised here, after the blobs asked for before it.
   */
  async *read<T extends { oid: string }>(items: AsyncIterable<T> | Iterable<T>): AsyncGenerator<BlobContent<T>> {
    const queue: T[] = [];
    let next = 0;
    let fed = false;
    let stopped = false;
    let failure: { error: unknown } | undefined;
    const broken: Array<string | undefined> = this.batches.map(() => undefined);
    let notify: (() => void) | undefined;
    void (async () => {
      try {
        for await (const item of items) {
          if (stopped) break;
          this.batches[queue.length % this.batches.length]!.ask(item.oid);
          queue.push(item);
          notify?.();
        }
      } catch (error) {
        failure = { error };
      } finally {
        fed = true;
        notify?.();
      }
    })();
    try {
      for (;;) {
        if (next === queue.length) {
          if (fed) break;
          await new Promise<void>((resolve) => (notify = resolve));
          notify = undefined;
          continue;
        }
        const which = next % this.batches.length;
        const item = queue[next]!;
        queue[next++] = undefined as unknown as T; // let it go once read
        // Once a process has stopped, or lost its place, no answer after can be trusted: every item left to it is a blob not read.
        const blob: BlobContent<T> = broken[which] ? { item, missing: broken[which] } : await this.batches[which]!.one(item);
        if (blob.missing?.startsWith('git cat-file')) broken[which] = blob.missing;
        yield blob;
      }
      if (failure) throw failure.error;
    } finally {
      stopped = true; // the feeding stops at its next item, which ends the walk behind it
    }
  }

  close(): void {
    for (const batch of this.batches) batch.close();
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
 * git's standard output as it comes, split at NUL bytes (`-z` output), a batch of
 * tokens per read: text is decoded only up to the last NUL read, so a path is never cut
 * inside a character. A git that fails is a usage error with its own words, raised
 * after the tokens it gave; a consumer that stops early stops git.
 */
export async function* gitTokens(cwd: string, args: string[], what: string): AsyncGenerator<string[]> {
  const { child, finished } = startGit(cwd, args, what);
  let rest: Buffer | undefined;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      const data = rest ? Buffer.concat([rest, chunk]) : chunk;
      const last = data.lastIndexOf(0);
      if (last === -1) {
        rest = data;
        continue;
      }
      rest = last + 1 < data.length ? data.subarray(last + 1) : undefined;
      yield data.toString('utf8', 0, last).split('\0');
    }
    if (rest) yield [rest.toString('utf8')];
    await finished;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/**
 * Every change to every path in the commits `revisions` select, oldest first (parents
 * before children), without a content diff: `git log --raw`, merges compared with their
 * first parent so that what a merge brings (or changes by hand) is seen too. Streamed, a
 * batch at a time: the first changes arrive while git is still computing the later ones.
 */
export async function* rawChanges(cwd: string, revisions: string[], what: string): AsyncGenerator<RawChange[]> {
  const args = ['log', '--raw', '-z', '--no-abbrev', '--no-renames', '--diff-merges=first-parent', '--topo-order', '--reverse', '--format=%x00%H %at', ...revisions, '--'];
  let commit = '';
  let time = 0;
  let pending: string[] | undefined; // a change's fields, waiting for its path (the next token)
  for await (const tokens of gitTokens(cwd, args, what)) {
    const changes: RawChange[] = [];
    for (const raw of tokens) {
      if (pending) {
        const [oldMode, newMode, oldBlob, newBlob, status] = pending;
        pending = undefined;
        if (!status || !oldBlob || !newBlob) continue;
        changes.push({ commit, time, status: status[0]!, oldBlob: ZERO.test(oldBlob) ? '' : oldBlob, newBlob: ZERO.test(newBlob) ? '' : newBlob, newMode: newMode ?? oldMode ?? '', path: raw });
        continue;
      }
      const token = raw.charCodeAt(0) === 10 ? raw.replace(/^\n+/, '') : raw;
      if (token === '') continue;
      if (token.charCodeAt(0) === 58 /* : */) {
        pending = token.slice(1).split(' ');
        continue;
      }
      const space = token.indexOf(' ');
      commit = token.slice(0, space);
      time = Number(token.slice(space + 1));
    }
    if (changes.length > 0) yield changes;
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
