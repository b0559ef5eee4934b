import type { SkippedFile } from '../types.js';
import type { FileEntry } from './files.js';
import type { FileReader, Hit } from './read.js';

export type { Hit };

/** What looking at a run of files found: totals for the files with nothing to decode, and the files that hold an anchor. */
export interface Looked {
  /** The run of the file list looked at: [start, end). */
  start: number;
  end: number;
  /** Text files with no anchor, and their bytes. */
  filesScanned: number;
  bytesScanned: number;
  binaryFiles: number;
  skipped: SkippedFile[];
  /** Files to decode and analyse, by index in the file list. */
  hits: Array<{ index: number; hit: Hit }>;
}

/** Takes the first look at files[start, end): the read and pre-filter, the bulk of a scan's work. `withText` as for FileReader.look. */
export function lookAt(reader: FileReader, files: readonly FileEntry[], start: number, end: number, withText = true): Looked {
  const looked: Looked = { start, end, filesScanned: 0, bytesScanned: 0, binaryFiles: 0, skipped: [], hits: [] };
  for (let index = start; index < end; index++) {
    const look = reader.look(files[index]!, withText);
    switch (look.kind) {
      case 'clean':
        looked.filesScanned++;
        looked.bytesScanned += look.bytes;
        break;
      case 'binary':
        looked.binaryFiles++;
        break;
      case 'skipped':
        looked.skipped.push(look.skipped);
        break;
      case 'hit':
        looked.hits.push({ index, hit: look });
        break;
      case 'gone':
        break;
    }
  }
  return looked;
}

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

export type FromReader = { type: 'looked'; looked: Looked } | { type: 'done' } | { type: 'error'; message: string };
