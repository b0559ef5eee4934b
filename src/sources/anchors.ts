import { DETECTORS } from '../detect/index.js';
import { tokenDetector } from '../detect/jwt.js';
import type { Anchor } from '../detect/types.js';
import { ANCHOR_FILTER_WASM } from './anchor-filter.generated.js';

/**
 * The byte-level anchors of every detector (each declares its own: src/detect/*.ts), the
 * token's first: it is the most common. Each occurrence of an anchor's needle (after its
 * lead) is tested against its detector's shape in a small window before a file is decoded.
 */
export const ANCHORS: readonly Anchor[] = [...DETECTORS].sort((a, b) => Number(b === tokenDetector) - Number(a === tokenDetector)).flatMap((detector) => detector.anchors);

/** Occurrences of one anchor tested per window before giving up and decoding the whole chunk. */
export const MAX_PROBES = 4096;

function fits(bytes: Buffer, at: number, { needle, before, after, shape }: Anchor): boolean {
  return shape.test(bytes.toString('latin1', Math.max(0, at - before), Math.min(bytes.length, at + needle.length + after)));
}

function leads(bytes: Buffer, at: number, lead: Buffer): boolean {
  const start = at - lead.length;
  if (start < 0) return false;
  for (let i = 0; i < lead.length; i++) if (bytes[start + i] !== lead[i]) return false;
  return true;
}

/**
 * Whether any anchor fits in bytes[from, to): one Buffer.indexOf pass per needle. The
 * reference the WebAssembly filter must agree with, and what runs if it cannot load.
 */
export function anchorInByIndexOf(bytes: Buffer, from: number, to: number, anchors: readonly Anchor[] = ANCHORS): boolean {
  const part = from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to);
  for (const anchor of anchors) {
    const { needle, lead } = anchor;
    // A one-byte needle is searched as a byte: memchr, with no pattern set-up.
    const target = needle.length === 1 ? needle[0]! : needle;
    let probes = 0;
    for (let at = part.indexOf(target); at !== -1; at = part.indexOf(target, at + 1)) {
      if (lead && !leads(bytes, from + at, lead)) continue;
      if (++probes > MAX_PROBES || fits(bytes, from + at, anchor)) return true;
    }
  }
  return false;
}

/**
 * Where an anchor is looked for in one pass: its fingerprint, two bytes that every
 * occurrence begins with. The needle's first two, or for a one-byte needle the last byte
 * of its lead and the needle (`shift` 1: the needle starts a byte after the fingerprint),
 * or a lone byte followed by any (`second` undefined).
 */
interface Entry {
  anchor: Anchor;
  /** Its index in the anchors, for its count of probes. */
  index: number;
  shift: number;
}

function fingerprint(anchor: Anchor): { first: number; second?: number; shift: number } {
  const { needle, lead } = anchor;
  if (needle.length >= 2) return { first: needle[0]!, second: needle[1]!, shift: 0 };
  if (lead && lead.length > 0) return { first: lead[lead.length - 1]!, second: needle[0]!, shift: 1 };
  return { first: needle[0]!, shift: 0 };
}

/** The WebAssembly names used here (TypeScript declares them in its DOM library, which this project does not load). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
};
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Layout of the filter's memory (see anchor-filter.wat): the tables, the window (and the zeros after it), the candidates. */
const WINDOW = 128;
const PADDING = 17;
const CAPACITY = 4096;
const PAGE = 64 << 10;

/** The module, compiled once per thread; each filter and counter is an instance of it, with memory of its own. */
let compiled: object | undefined;

/** An instance of the filter's module with at least `bytes` of memory, as a Buffer; undefined where WebAssembly cannot load. */
function instantiate(bytes: number): { exports: Record<string, unknown>; memory: Buffer } | undefined {
  try {
    compiled ??= new WebAssembly.Module(Buffer.from(ANCHOR_FILTER_WASM, 'base64'));
    const instance = new WebAssembly.Instance(compiled);
    const memory = instance.exports.memory as WasmMemory;
    const short = bytes - memory.buffer.byteLength;
    if (short > 0) memory.grow(Math.ceil(short / PAGE));
    return { exports: instance.exports, memory: Buffer.from(memory.buffer) };
  } catch {
    return undefined;
  }
}

/**
 * The anchors' search in one pass over the bytes (src/sources/anchor-filter.wat, in
 * WebAssembly SIMD: 16 positions at a time, every fingerprint at once), where the
 * reference makes one Buffer.indexOf pass per needle: 16 of them over every byte read. The
 * pass yields candidate positions; each is checked here as the reference checks an
 * occurrence (the rest of the needle, the lead, the shape in its window, the count of
 * probes), so both answer the same for any bytes. A window longer than `maxWindow` is
 * left to the reference. Undefined when WebAssembly cannot be loaded; callers then use
 * the reference.
 */
export function anchorFilter(anchors: readonly Anchor[], maxWindow: number): ((bytes: Buffer, from: number, to: number) => boolean) | undefined {
  const OUT = (WINDOW + maxWindow + 1 + PADDING + 3) & ~3;
  const loaded = instantiate(OUT + CAPACITY * 4);
  if (!loaded) return undefined;
  const candidates = loaded.exports.candidates as (start: number, end: number, out: number, cap: number) => number;
  const { memory } = loaded;
  const out = new Uint32Array(memory.buffer, memory.byteOffset + OUT, CAPACITY);
  // One bucket per distinct fingerprint, 16 at most; past 16, fingerprints share buckets
  // (a bucket then lets through more than its own, which the checks below sort out).
  const pairs = new Map<number, Entry[]>();
  const lone: Array<Entry[] | undefined> = [];
  const buckets = new Map<number, number>();
  memory.fill(0, 0, WINDOW);
  anchors.forEach((anchor, index) => {
    const { first, second, shift } = fingerprint(anchor);
    const key = second === undefined ? -1 - first : (first << 8) | second;
    const entry = { anchor, index, shift };
    if (second === undefined) (lone[first] ??= []).push(entry);
    else pairs.set(key, [...(pairs.get(key) ?? []), entry]);
    if (buckets.has(key)) return;
    const bucket = buckets.size % 16;
    buckets.set(key, bucket);
    const set = bucket < 8 ? 0 : 64;
    const bit = 1 << bucket % 8;
    memory[set + (first & 15)]! |= bit;
    memory[set + 16 + (first >> 4)]! |= bit;
    for (let nibble = 0; nibble < 16; nibble++) {
      if (second === undefined || nibble === (second & 15)) memory[set + 32 + nibble]! |= bit;
      if (second === undefined || nibble === second >> 4) memory[set + 48 + nibble]! |= bit;
    }
  });
  const probes = new Uint32Array(anchors.length);

  /** Whether the occurrence `entry` could start at `p` fits: the reference's test of one occurrence. */
  const fitsAt = (bytes: Buffer, p: number, entry: Entry, from: number, to: number): boolean => {
    const { anchor, shift } = entry;
    const { needle, lead } = anchor;
    const at = p + shift;
    if (at < from || at + needle.length > to) return false;
    for (let i = 0; i < needle.length; i++) if (bytes[at + i] !== needle[i]) return false;
    if (lead && !leads(bytes, at, lead)) return false;
    return ++probes[entry.index]! > MAX_PROBES || fits(bytes, at, anchor);
  };

  return (bytes, from, to) => {
    if (to - from > maxWindow) return anchorInByIndexOf(bytes, from, to, anchors);
    // A one-byte needle's fingerprint begins a byte before it: look from the byte before the window.
    const start = Math.max(0, from - 1);
    const length = to - start;
    bytes.copy(memory, WINDOW, start, to);
    memory.fill(0, WINDOW + length, WINDOW + length + PADDING);
    probes.fill(0);
    for (let next = WINDOW; ; ) {
      const found = candidates(next, WINDOW + length, OUT, CAPACITY);
      for (let k = 0; k < found; k++) {
        const p = start + out[k]! - WINDOW;
        const first = bytes[p]!;
        const paired = p + 1 < to ? pairs.get((first << 8) | bytes[p + 1]!) : undefined;
        if (paired) for (const entry of paired) if (fitsAt(bytes, p, entry, from, to)) return true;
        const alone = lone[first];
        if (alone) for (const entry of alone) if (fitsAt(bytes, p, entry, from, to)) return true;
      }
      if (found < CAPACITY) return false;
      next = out[found - 1]! + 1;
    }
  };
}

/**
 * Counts one byte's occurrences (line breaks, for line numbers) with the module's `count`:
 * 16 bytes at a time, where a Buffer.indexOf call per occurrence took 25 ms for the bench
 * tree's 50 MB log. Bytes are copied in, `window` at a time. Undefined where WebAssembly
 * cannot load.
 */
export function byteCounter(window: number): ((bytes: Buffer, byte: number) => number) | undefined {
  const loaded = instantiate(window);
  if (!loaded) return undefined;
  const count = loaded.exports.count as (start: number, end: number, byte: number) => number;
  const { memory } = loaded;
  return (bytes, byte) => {
    let total = 0;
    for (let from = 0; from < bytes.length; from += window) {
      const copied = bytes.copy(memory, 0, from, Math.min(bytes.length, from + window));
      total += count(0, copied, byte);
    }
    return total;
  };
}
