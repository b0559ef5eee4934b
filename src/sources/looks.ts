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
