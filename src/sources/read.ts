import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FileEntry } from './files.js';
import type { SkippedFile } from '../types.js';
import { formatSize } from '../policy/size.js';

/**
 * Byte-level anchors, one per detector, each with the precise shape it must have in a
 * small window around it. An anchor starts with a rare byte, so Buffer.indexOf finds it
 * at memory speed; only where the shape also fits is the file decoded and searched.
 * `yJ` (of `eyJ`, a JWT header), `-----B` (PEM/OpenSSH/PGP armour), `kty` (JWK), `PuTTY`
 * (.ppk), and `NzaC1`/`VjZHNh`, the base64 of an SSH key blob's type (`ssh-…`,
 * `ecdsa…`) in authorized_keys lines.
 */
interface Anchor {
  bytes: Buffer;
  /** The window to test, relative to the anchor. */
  before: number;
  after: number;
  shape: RegExp;
}

const anchor = (text: string, before: number, after: number, shape: RegExp): Anchor => ({ bytes: Buffer.from(text, 'latin1'), before, after, shape });

export const ANCHORS: readonly Anchor[] = [
  anchor('yJ', 1, 4096, /^eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]/),
  anchor('-----B', 0, 64, /^-----BEGIN [A-Z0-9 ]{1,40}-----/),
  anchor('kty', 0, 24, /^kty\\*["']?\s*[:=]/),
  anchor('PuTTY', 0, 24, /^PuTTY-User-Key-File-/),
  anchor('NzaC1', 96, 0, /^(?:ssh-|sk-)[\w@.-]{1,60}[ \t]{1,8}AAAA[A-Za-z0-9+/]{0,2}$/),
  anchor('VjZHNh', 96, 0, /^(?:ecdsa-|sk-)[\w@.-]{1,60}[ \t]{1,8}AAAA[A-Za-z0-9+/]{0,2}$/),
];

/** Where the type word of `… ssh-rsa AAAA<anchor>` starts in a window that ends at the anchor. */
function lastWordStart(window: string): number {
  let end = window.length;
  while (end > 0 && window[end - 1] !== ' ' && window[end - 1] !== '\t') end--; // the blob
  while (end > 0 && (window[end - 1] === ' ' || window[end - 1] === '\t')) end--; // the gap
  let start = end;
  while (start > 0 && !/\s/.test(window[start - 1]!)) start--; // the type
  return start;
}

/** Occurrences of one anchor tested before giving up and decoding the whole chunk. */
const MAX_PROBES = 4096;

/** Whether any anchor occurs in a shape a detector could match: the pre-filter, on raw bytes. */
export function hasAnchor(bytes: Buffer): boolean {
  for (const { bytes: needle, before, after, shape } of ANCHORS) {
    let probes = 0;
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
      if (++probes > MAX_PROBES) return true;
      const window = bytes.toString('latin1', Math.max(0, at - before), Math.min(bytes.length, at + needle.length + after));
      // A key type before a blob starts after the last white space that precedes the type.
      const probe = before > 1 ? window.slice(lastWordStart(window)) : window;
      if (shape.test(probe)) return true;
    }
  }
  return false;
}

/** Bytes looked at to tell a binary file from text (as git does). */
const BINARY_SNIFF = 8000;

/** Files up to this size are read whole; larger ones in chunks of this size. */
export const CHUNK_BYTES = 8 << 20;
/** Consecutive chunks overlap by this much, so that an artifact across a boundary is whole in one of them. */
export const OVERLAP_BYTES = 1 << 20;

export interface Chunk {
  text: string;
  /** Lines before the chunk's first byte. */
  lineBase: number;
  /** Characters between the last line break before the chunk and its first byte (0 at a line start). */
  columnBase: number;
  /** Offset (in the chunk's text) where new territory starts: a finding that ends before it was found in the previous chunk. */
  freshFrom: number;
}

export type ReadOutcome = { kind: 'text'; bytes: number } | { kind: 'binary' } | { kind: 'skipped'; skipped: SkippedFile };

function trouble(file: string, error: unknown): SkippedFile {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return { file, reason: 'vanished', detail: 'removed while the scan ran' };
  return { file, reason: 'unreadable', detail: code ?? (error as Error).message };
}

function countLines(bytes: Buffer): number {
  let lines = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  return lines;
}

export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1))).swap16().toString('utf16le');
  return bytes.toString('utf8');
}

/**
 * Reads one file synchronously into `buffer` (shared, so the many files that hold no
 * anchor cost no allocation), tells binary from text, and hands `onChunk` the decoded
 * text of what may hold an artifact. Files over CHUNK_BYTES are walked in chunks that
 * overlap by up to OVERLAP_BYTES, each starting at a line break where there is one, so
 * memory stays bounded whatever the file's size. Never throws for file trouble.
 */
export async function readFileChunks(entry: FileEntry, maxFileSize: number, buffer: Buffer, onChunk: (chunk: Chunk) => Promise<void>): Promise<ReadOutcome> {
  let fd: number;
  try {
    fd = openSync(entry.absolute, 'r');
  } catch (error) {
    return { kind: 'skipped', skipped: trouble(entry.relative, error) };
  }
  try {
    const { size } = fstatSync(fd);
    if (size > maxFileSize) {
      return { kind: 'skipped', skipped: { file: entry.relative, reason: 'too-large', detail: `${formatSize(size)} is over files.maxFileSize (${formatSize(maxFileSize)})` } };
    }
    let length = readSync(fd, buffer, 0, Math.min(size, CHUNK_BYTES), 0);
    const head = buffer.subarray(0, length);
    const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
    if (!utf16 && head.subarray(0, BINARY_SNIFF).includes(0)) return { kind: 'binary' };
    if (utf16) {
      // Rare, and anchors are bytes of UTF-8: decode the whole (size-bounded) file.
      await onChunk({ text: decodeText(Buffer.from(head)), lineBase: 0, columnBase: 0, freshFrom: 0 });
      return { kind: 'text', bytes: size };
    }
    let end = length;
    let lineBase = 0;
    let columnBase = 0;
    let freshFrom = 0;
    for (;;) {
      const view = buffer.subarray(0, length);
      if (hasAnchor(view)) {
        const text = view.toString('utf8');
        await onChunk({ text, lineBase, columnBase, freshFrom: freshFrom === 0 ? 0 : Buffer.from(view.subarray(0, freshFrom)).toString('utf8').length });
      }
      if (end >= size) break;
      // The next chunk starts at the first line break in the last OVERLAP_BYTES (or OVERLAP_BYTES back on a huge line).
      const windowStart = Math.max(0, length - OVERLAP_BYTES);
      const lineBreak = view.indexOf(10, windowStart);
      const cut = lineBreak !== -1 && lineBreak < length - 1 ? lineBreak + 1 : windowStart;
      const lastBreak = view.lastIndexOf(10, cut - 1);
      columnBase = lastBreak === -1 ? columnBase + cut : cut - lastBreak - 1;
      lineBase += countLines(view.subarray(0, cut));
      const carried = length - cut;
      buffer.copy(buffer, 0, cut, length);
      const read = readSync(fd, buffer, carried, Math.min(CHUNK_BYTES - carried, size - end), end);
      if (read === 0) break;
      end += read;
      length = carried + read;
      freshFrom = carried;
    }
    return { kind: 'text', bytes: size };
  } catch (error) {
    return { kind: 'skipped', skipped: trouble(entry.relative, error) };
  } finally {
    closeSync(fd);
  }
}
