import type { FileEntry } from '../sources/files.js';
import type { Looked } from '../sources/looks.js';
import type { CodeAnalysis } from '../code/index.js';
import type { LanguageId } from '../code/languages.js';

/**
 * What the main thread and the helper threads (reading-thread.ts) say to each other:
 * the work handed out, the shared queue they claim runs of files from, and the messages
 * they send back.
 */

/** Files claimed at most, and at least, per run. */
const MAX_RUN = 256;
const MIN_RUN = 8;

/**
 * Claims the next run of files from the queue all threads share: one index in shared
 * memory, advanced atomically, so that no thread waits for another to hand out work.
 * Runs shrink as the queue empties, so that the threads finish close together.
 */
export function claim(next: Int32Array, total: number, threads: number): { start: number; end: number } | undefined {
  for (;;) {
    const start = Atomics.load(next, 0);
    if (start >= total) return undefined;
    const size = Math.max(MIN_RUN, Math.min(MAX_RUN, Math.floor((total - start) / (threads * 4))));
    const end = Math.min(total, start + size);
    if (Atomics.compareExchange(next, 0, start, end) === start) return { start, end };
  }
}

/**
 * The work a reading thread is given: the whole list, and the shared index into it. The
 * list travels as two strings and a byte per file, which cost a copy to send, where
 * thousands of small objects cost a walk of each.
 */
export interface ReadWork {
  absolute: string;
  relative: string;
  tracked: Uint8Array;
  next: SharedArrayBuffer;
  threads: number;
  maxFileSize: number;
}

/** NUL cannot occur in a path. */
const SEPARATOR = '\0';

export function packFiles(files: readonly FileEntry[]): Pick<ReadWork, 'absolute' | 'relative' | 'tracked'> {
  return {
    absolute: files.map((f) => f.absolute).join(SEPARATOR),
    relative: files.map((f) => f.relative).join(SEPARATOR),
    tracked: Uint8Array.from(files, (f) => (f.tracked ? 1 : 0)),
  };
}

export function unpackFiles(work: Pick<ReadWork, 'absolute' | 'relative' | 'tracked'>): FileEntry[] {
  if (work.tracked.length === 0) return [];
  const absolute = work.absolute.split(SEPARATOR);
  const relative = work.relative.split(SEPARATOR);
  return absolute.map((a, i) => (work.tracked[i] ? { absolute: a, relative: relative[i]!, tracked: true } : { absolute: a, relative: relative[i]! }));
}

/** Work for a helper thread: the first looks of a scan's files, a share of a token's weak-secret screening, or the code checks of one source file. */
export type ToHelper =
  | { type: 'read'; work: ReadWork }
  | { type: 'screen'; id: number; alg: string; input: Uint8Array; signature: Uint8Array; board: SharedArrayBuffer; finished: SharedArrayBuffer }
  | { type: 'code'; id: number; path: string; language: LanguageId; text: string };

/**
 * What a helper thread sends back: first looks, the end of its reading, the end of its
 * share of a screening (the results are on the board), a file's code analysis (none when
 * it could not be run there: the main thread runs it).
 */
export type FromHelper =
  | { type: 'looked'; looked: Looked }
  | { type: 'done' }
  | { type: 'error'; message: string }
  | { type: 'screened'; id: number }
  | { type: 'coded'; id: number; analysis?: CodeAnalysis };
