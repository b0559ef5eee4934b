import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatSize } from '../util/format.js';

/**
 * Text that arrives as a stream (standard input, a CI job log) is written to a private
 * temporary file as it comes, then read by the same chunked reader as the tree's files:
 * memory stays bounded whatever its size, and it is searched exactly like a file. The
 * directory is the user's alone (0700) and is removed when the scan ends: logs hold
 * tokens.
 */
export class Spool {
  readonly dir: string;
  private count = 0;

  constructor(parent = process.env.RUNNER_TEMP || tmpdir()) {
    this.dir = mkdtempSync(path.join(parent, 'jwt-guard-'));
  }

  /**
   * Writes `chunks` to a new file in the spool, up to `maxBytes`; past it, the rest is not
   * read and `truncated` says so. An error from the stream (a broken download, a stall) is
   * returned as `failed`, with what arrived before it kept.
   */
  async write(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, maxBytes = Number.POSITIVE_INFINITY): Promise<Spooled> {
    const file = path.join(this.dir, `unit-${++this.count}`);
    const fd = openSync(file, 'wx', 0o600);
    let bytes = 0;
    try {
      for await (const chunk of chunks) {
        const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        const room = maxBytes - bytes;
        if (data.length > room) {
          if (room > 0) writeAll(fd, data.subarray(0, room));
          bytes += Math.max(0, room);
          return { file, bytes, truncated: `only its first ${formatSize(maxBytes)} were read (the cap for this input)` };
        }
        writeAll(fd, data);
        bytes += data.length;
      }
      return { file, bytes };
    } catch (error) {
      return { file, bytes, failed: error };
    } finally {
      closeSync(fd);
    }
  }

  /** Removes one file of the spool once it has been read (a history scan spools many). */
  discard(spooled: Spooled): void {
    rmSync(spooled.file, { force: true });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Spooled {
  file: string;
  bytes: number;
  /** Set when the input was longer than the cap: what was left unread. */
  truncated?: string;
  /** Set when the stream failed part way: the error. */
  failed?: unknown;
}

function writeAll(fd: number, data: Uint8Array): void {
  for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset, data.length - offset);
}
