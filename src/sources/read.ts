import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { errorCode, errorKind } from '../errors.js';
import type { FileEntry } from './files.js';
import type { SkippedFile } from '../types.js';
import { formatSize } from '../util/format.js';
import { DIRECTIVE_KEYWORD } from '../detect/directive.js';
import { ANCHORS, anchorFilter, anchorInByIndexOf, byteCounter } from './anchors.js';
import { DER_HEAD, derShape } from '../detect/der.js';
import { anyMarker, builtCode, languageOf, MAX_CODE_BYTES, mentionsJwtLibrary, type CodeLanguage } from '../code/languages.js';
import { anchor } from '../detect/types.js';

/**
 * Bytes read at a time while looking for anchors: small enough that the block stays in
 * the core's own cache while it is searched (reading into, and searching, a buffer that
 * does not fit runs several times slower).
 */
export const BLOCK_BYTES = 256 << 10;
/** Bytes of one block kept in front of the next, so that a needle cut by the boundary is found whole, with its window's start. */
const CARRY = 64;

/**
 * Whether an anchor fits in bytes[from, to): the WebAssembly filter, one pass for every
 * needle (see anchors.ts), or one Buffer.indexOf pass per needle where it cannot load.
 */
const anchorIn = anchorFilter(ANCHORS, BLOCK_BYTES + CARRY) ?? anchorInByIndexOf;

/**
 * Whether any anchor occurs in a shape a detector could match: the pre-filter, on raw
 * bytes. Long buffers are searched block by block (overlapping by CARRY).
 */
export function hasAnchor(bytes: Buffer): boolean {
  for (let from = 0; from < bytes.length; from += BLOCK_BYTES) {
    if (anchorIn(bytes, from, Math.min(bytes.length, from + BLOCK_BYTES + CARRY))) return true;
  }
  return false;
}

/** One filter per set of library markers, made on first need (languages that share markers share it). */
const markerSearches = new Map<readonly Buffer[], ((bytes: Buffer, from: number, to: number) => boolean) | undefined>();

/**
 * Whether any of a language's library markers occurs in the bytes (a block at most): the
 * markers as anchors that always fit, searched in the filter's one pass. Where
 * WebAssembly cannot load, a Buffer.indexOf pass per marker.
 */
export function hasMarker(bytes: Buffer, language: CodeLanguage): boolean {
  if (!markerSearches.has(language.markers)) markerSearches.set(language.markers, anchorFilter(language.markers.map((marker) => anchor(marker.toString('latin1'), 0, 0, /^/)), BLOCK_BYTES + CARRY));
  const search = markerSearches.get(language.markers);
  return search ? search(bytes, 0, bytes.length) : anyMarker(bytes, language);
}

/** Bytes looked at to tell a binary file from text (as git does). */
const BINARY_SNIFF = 8000;

/**
 * Whether bytes that begin with `head` and run to `size` are a key store or a private key
 * in DER (see detect/der.ts): a Java store by its magic, a PKCS#12 by its shape (BER may
 * leave its length open), a key by a shape whose length is the file's. Such a file is
 * read as its base64, which the DER detector finds; other binary files are passed over.
 */
export function isKeyMaterial(head: Buffer, size: number): boolean {
  const shape = derShape(head.subarray(0, DER_HEAD));
  // Only the stores come without a length (derShape requires one of a key).
  return shape !== undefined && (shape.length === undefined || shape.length === size);
}

/** Text with an anchor is decoded in chunks of up to this size. */
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
  /** The chunk is the whole file: what spans it (an inline -begin and its -end) can be judged. */
  whole?: true;
}

/**
 * What a first look at a file found: `clean` text with no anchor (nothing more to do),
 * a tracked file deleted in the work tree (`gone`), a binary file, a file that could not
 * or may not be read, or text with an anchor (`hit`),
 * already decoded when the file fitted in one block.
 */
export type Look =
  | { kind: 'clean'; bytes: number }
  | { kind: 'gone' }
  | { kind: 'binary' }
  | { kind: 'skipped'; skipped: SkippedFile }
  | { kind: 'hit'; bytes: number; text?: string; utf16?: boolean; blocks?: number[]; binary?: true; code?: true | 'too-large' };

export type Hit = Extract<Look, { kind: 'hit' }>;

export type ReadOutcome = { kind: 'text'; bytes: number; partly?: string } | { kind: 'skipped'; skipped: SkippedFile };

function trouble(file: string, error: unknown): SkippedFile {
  const code = errorCode(error);
  if (code === 'ENOENT') return { file, reason: 'vanished', detail: 'removed while the scan ran' };
  if (code === 'ELOOP') return { file, reason: 'symlink-not-followed', detail: 'listed as a file, but it is a link now: not followed (a target inside the repository is scanned under its own path)' };
  return { file, reason: 'unreadable', detail: code ?? errorKind(error) };
}

/**
 * How files are opened: never through a link (a tracked file replaced by a link to
 * `/dev/zero` or out of the repository is not followed; the listing resolves the links it
 * lists), and never blocking (a FIFO where a file was fails its read at once instead of
 * hanging the scan).
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Counts line breaks: the WebAssembly counter (anchors.ts), or a Buffer.indexOf per line break where it cannot load. */
const countByte = byteCounter(BLOCK_BYTES);

function countLines(bytes: Buffer): number {
  if (countByte) return countByte(bytes, 10);
  let lines = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  return lines;
}

/** Where a text stands after `bytes`, given where it stood before them: lines before, and bytes since the last line break. */
function advance(line: number, column: number, bytes: Buffer): { line: number; column: number } {
  const lastBreak = bytes.lastIndexOf(10);
  return lastBreak === -1 ? { line, column: column + bytes.length } : { line: line + countLines(bytes), column: bytes.length - lastBreak - 1 };
}

const isUtf16 = (head: Buffer) => (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);

export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1))).swap16().toString('utf16le');
  return bytes.toString('utf8');
}

/**
 * Reads files for one thread, through two reused buffers: a block that stays in cache,
 * through which every file is streamed once and searched for anchors, and a chunk buffer
 * (allocated on first need) into which the rare large file with an anchor is read again
 * in overlapping chunks to be decoded. Never throws for file trouble.
 */
export class FileReader {
  private readonly block = Buffer.allocUnsafe(BLOCK_BYTES + CARRY);
  private chunkBuffer: Buffer | undefined;

  constructor(private readonly maxFileSize: number) {}

  /**
   * Streams a file through the block buffer, noting the blocks where an anchor fits. No
   * stat for a file that fits in one block (its read says its size); one for larger ones.
   * `withText`: a hit that fits in one block comes decoded (a reading thread, which hands
   * hits on bare, asks for none).
   */
  look(entry: FileEntry, withText = true): Look {
    let fd: number;
    try {
      fd = openSync(entry.absolute, OPEN_FLAGS);
    } catch (error) {
      if (entry.tracked && errorCode(error) === 'ENOENT') return { kind: 'gone' };
      return { kind: 'skipped', skipped: trouble(entry.relative, error) };
    }
    try {
      const { block } = this;
      let filled = readSync(fd, block, 0, BLOCK_BYTES, 0);
      const size = filled < BLOCK_BYTES ? filled : fstatSync(fd).size;
      if (size > this.maxFileSize) {
        return { kind: 'skipped', skipped: { file: entry.relative, reason: 'too-large', detail: `${formatSize(size)} is over files.maxFileSize (${formatSize(this.maxFileSize)})` } };
      }
      const head = block.subarray(0, filled);
      if (isKeyMaterial(head, size)) {
        if (size > CHUNK_BYTES) return { kind: 'skipped', skipped: { file: entry.relative, reason: 'too-large', detail: `${formatSize(size)} of what begins as a key store or a DER key is over the ${formatSize(CHUNK_BYTES)} one is read in` } };
        return { kind: 'hit', bytes: size, binary: true };
      }
      if (isUtf16(head)) return { kind: 'hit', bytes: size, utf16: true };
      if (head.subarray(0, BINARY_SNIFF).includes(0)) return { kind: 'binary' };
      // Source code of a language the code checks read, that names a JWT library: parsed whole (see src/code).
      // Built code (minified, bundles) is not read as source: judged by the first block's lines.
      const language = languageOf(entry.relative);
      const source = language && !builtCode(filled, () => countLines(head)) ? language : undefined;
      if (filled === size) {
        const code = source && mentionsJwtLibrary(head, source, hasMarker) ? ({ code: true } as const) : {};
        if (!code.code && !anchorIn(head, 0, filled)) return { kind: 'clean', bytes: size };
        return withText ? { kind: 'hit', bytes: size, text: head.toString('utf8'), ...code } : { kind: 'hit', bytes: size, ...code };
      }
      const blocks: number[] = [];
      let position = filled;
      let mentionsLibrary = false;
      for (;;) {
        if (source && !mentionsLibrary) mentionsLibrary = mentionsJwtLibrary(block.subarray(0, filled), source, hasMarker);
        if (anchorIn(block.subarray(0, filled), 0, filled)) blocks.push(position - filled);
        if (position >= size) break;
        const keep = Math.min(CARRY, filled);
        block.copy(block, 0, filled - keep, filled);
        const read = readSync(fd, block, keep, BLOCK_BYTES, position);
        if (read === 0) break;
        position += read;
        filled = keep + read;
      }
      if (mentionsLibrary) return { kind: 'hit', bytes: position, blocks, code: position > MAX_CODE_BYTES ? 'too-large' : true };
      return blocks.length > 0 ? { kind: 'hit', bytes: position, blocks } : { kind: 'clean', bytes: position };
    } catch (error) {
      return { kind: 'skipped', skipped: trouble(entry.relative, error) };
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Hands `onChunk` the decoded text of a file whose look found an anchor. A file that
   * fitted in one block was decoded by the look. A larger one is decoded only in spans
   * around the blocks where anchors fit (see spansAround); the bytes between spans are
   * only counted for line numbers. A span is read in chunks of up to CHUNK_BYTES that
   * overlap by up to OVERLAP_BYTES, each starting at a line break where there is one,
   * and only chunks that hold an anchor are decoded, so memory stays bounded whatever the
   * file's size. UTF-16 text (rare) is decoded up to CHUNK_BYTES.
   */
  async read(entry: FileEntry, hit: Hit, onChunk: (chunk: Chunk) => Promise<void>): Promise<ReadOutcome> {
    if (hit.text !== undefined) {
      await onChunk({ text: hit.text, lineBase: 0, columnBase: 0, freshFrom: 0, whole: true });
      return { kind: 'text', bytes: hit.bytes };
    }
    let fd: number;
    try {
      fd = openSync(entry.absolute, OPEN_FLAGS);
    } catch (error) {
      return { kind: 'skipped', skipped: trouble(entry.relative, error) };
    }
    try {
      const size = hit.bytes;
      // Read whole, as one chunk: a key store or DER key (small: its look checked the size), given to the
      // detectors as its base64; UTF-16 text, up to a chunk; source code the code checks parse (at most MAX_CODE_BYTES).
      const whole = (text: string) => onChunk({ text, lineBase: 0, columnBase: 0, freshFrom: 0, whole: true });
      if (hit.binary || hit.utf16 || hit.code === true) {
        const buffer = this.chunks();
        const length = readSync(fd, buffer, 0, Math.min(size, CHUNK_BYTES), 0);
        if (hit.binary) await whole(buffer.toString('base64', 0, length));
        else if (hit.utf16) await whole(decodeText(Buffer.from(buffer.subarray(0, length))));
        else await whole(buffer.toString('utf8', 0, length));
        return { kind: 'text', bytes: size, ...(hit.utf16 && size > length ? { partly: `UTF-16 text is searched in its first ${formatSize(CHUNK_BYTES)} only` } : {}) };
      }
      let at: Place = { offset: 0, line: 0, column: 0 };
      // An ignore-begin/-end pair can enclose far more than a span: with a directive in the file, decode every chunk with an anchor.
      const spans = hit.blocks && !this.mentions(fd, size, DIRECTIVE) ? spansAround(hit.blocks, size) : [{ start: 0, end: size }];
      for (const span of spans) {
        at = this.skipTo(fd, at, span.start);
        at = await this.decodeSpan(fd, at, span.end, onChunk);
      }
      return { kind: 'text', bytes: size, ...(hit.code === 'too-large' ? { partly: `source code over ${formatSize(MAX_CODE_BYTES)} is not parsed, so insecure-verification and hardcoded-secret did not read it (the other rules did)` } : {}) };
    } catch (error) {
      return { kind: 'skipped', skipped: trouble(entry.relative, error) };
    } finally {
      closeSync(fd);
    }
  }

  private chunks(): Buffer {
    return (this.chunkBuffer ??= Buffer.allocUnsafe(CHUNK_BYTES));
  }

  /** Whether `needle` occurs in the file's first `size` bytes, streamed through the block buffer. */
  private mentions(fd: number, size: number, needle: Buffer): boolean {
    const { block } = this;
    let filled = 0;
    for (let offset = 0; offset < size; ) {
      const keep = Math.min(filled, needle.length - 1);
      block.copy(block, 0, filled - keep, filled);
      const read = readSync(fd, block, keep, Math.min(BLOCK_BYTES, size - offset), offset);
      if (read === 0) break;
      filled = keep + read;
      if (block.subarray(0, filled).indexOf(needle) !== -1) return true;
      offset += read;
    }
    return false;
  }

  /**
   * Counts lines from `at` to `target` through the block buffer. The span then starts at
   * the last line break before `target` if it is near (so that a directive on the line
   * before a finding is in the span), else at `target` itself, mid-line.
   */
  private skipTo(fd: number, at: Place, target: number): Place {
    if (target <= at.offset) return at;
    const { block } = this;
    let { line, column } = at;
    let offset = at.offset;
    while (offset < target) {
      const read = readSync(fd, block, 0, Math.min(BLOCK_BYTES, target - offset), offset);
      if (read === 0) break;
      ({ line, column } = advance(line, column, block.subarray(0, read)));
      offset += read;
    }
    column += target - offset; // bytes the file no longer has, if it shrank meanwhile
    // A line break in the gap, near enough: start at the line it ends.
    if (line > at.line && column <= SNAP_BYTES) return { offset: target - column, line, column: 0 };
    return { offset: target, line, column };
  }

  /** Reads [at, end) in overlapping chunks and decodes those with an anchor; returns the place where it stopped. */
  private async decodeSpan(fd: number, at: Place, end: number, onChunk: (chunk: Chunk) => Promise<void>): Promise<Place> {
    const buffer = this.chunks();
    let length = readSync(fd, buffer, 0, Math.min(end - at.offset, CHUNK_BYTES), at.offset);
    let stop = at.offset + length;
    let lineBase = at.line;
    let columnBase = at.column;
    let freshFrom = 0;
    for (;;) {
      const view = buffer.subarray(0, length);
      if (hasAnchor(view)) {
        await onChunk({ text: view.toString('utf8'), lineBase, columnBase, freshFrom: freshFrom === 0 ? 0 : view.toString('utf8', 0, freshFrom).length });
      }
      if (stop >= end) break;
      // The next chunk starts at the first line break in the last OVERLAP_BYTES (or OVERLAP_BYTES back on a huge line).
      const windowStart = Math.max(0, length - OVERLAP_BYTES);
      const lineBreak = view.indexOf(10, windowStart);
      const cut = lineBreak !== -1 && lineBreak < length - 1 ? lineBreak + 1 : windowStart;
      ({ line: lineBase, column: columnBase } = advance(lineBase, columnBase, view.subarray(0, cut)));
      const carried = length - cut;
      buffer.copy(buffer, 0, cut, length);
      const read = readSync(fd, buffer, carried, Math.min(CHUNK_BYTES - carried, end - stop), stop);
      if (read === 0) break;
      stop += read;
      length = carried + read;
      freshFrom = carried;
    }
    return { offset: stop, ...advance(lineBase, columnBase, buffer.subarray(0, length)) };
  }
}

/** A place in a file: its byte offset, the lines before it, and the bytes since the last line break before it. */
interface Place {
  offset: number;
  line: number;
  column: number;
}

/**
 * How far before and after a block with an anchor the artifact that holds the anchor may
 * reach: a JWK's `kty` may stand 16 KiB into an object (and the object start is searched
 * 64 KiB back), a token's URL 2 KiB before it; the longest artifact after its anchor is
 * a PGP block (OVERLAP_BYTES, the same bound as for chunks).
 */
const BACK_BYTES = 80 << 10;
const AHEAD_BYTES = OVERLAP_BYTES;
/** The start of every inline directive (src/detect/directive.ts). */
const DIRECTIVE = Buffer.from(DIRECTIVE_KEYWORD);

/** A span moves back to the line break before it when that is at most this far. */
const SNAP_BYTES = 64 << 10;

/** The spans of a file to decode: around each block with an anchor, merged where they meet. */
export function spansAround(blocks: readonly number[], size: number): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const block of blocks) {
    const start = Math.max(0, block - BACK_BYTES);
    const end = Math.min(size, block + BLOCK_BYTES + CARRY + AHEAD_BYTES);
    const last = spans.at(-1);
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else spans.push({ start, end });
  }
  return spans;
}
