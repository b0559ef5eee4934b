/**
 * The WebAssembly pre-filter (src/sources/anchor-filter.wat) decides, with the checks in
 * anchors.ts, which bytes are decoded at all: it must answer exactly as the reference, one
 * Buffer.indexOf pass per needle, for any bytes and any window, at the window's edges,
 * past its own output's capacity and with more fingerprints than it has buckets.
 */
import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { anchor, type Anchor } from '../../src/detect/types.js';
import { ANCHORS, MAX_PROBES, anchorFilter, anchorInByIndexOf, byteCounter } from '../../src/sources/anchors.js';

const WINDOW = (256 << 10) + 64;
const filter = anchorFilter(ANCHORS, WINDOW)!;
const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** Text in which each detector's anchors fit, made here so that this file holds none. */
const token = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"1"}')}.${'s'.repeat(43)}`;
const der = (type: 'ec' | 'rsa') => (generateKeyPairSync(type as 'ec', type === 'ec' ? { namedCurve: 'P-256' } : ({ modulusLength: 1024 } as never)).privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64');
const FITTING = [
  token,
  b64url('{ "alg": "none" }'),
  b64url('{\n"alg":"ES256"}'),
  b64url('{\r\n"alg":1}'),
  b64url('{\t"alg":1}'),
  Buffer.from(`${token} as a bearer token`).toString('base64'),
  `${'-'.repeat(5)}BEGIN PRIVATE KEY${'-'.repeat(5)}`,
  Buffer.from(`${'-'.repeat(5)}BEGIN PRIVATE KEY${'-'.repeat(5)}\n`).toString('base64'),
  `{"${'k'}ty":"EC","crv":"P-256"}`,
  der('ec'),
  der('rsa'),
  `M${'II'}JCAQE`,
  Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]).toString('base64'),
  Buffer.from([0xce, 0xce, 0xce, 0xce, 0, 0, 0, 2]).toString('base64'),
  `${'PuTTY-User-'}${'Key-File-3'}: ssh-ed25519`,
  ` ${'AAAA'}B3NzaC1yc2EAAAADAQABAAABAQC${'x'.repeat(20)}`,
  ` ${'AAAA'}E2VjZHNhLXNoYTItbmlzdHAyNTYAAAAI${'x'.repeat(20)}`,
];

/** Every anchor's lead and needle alone: occurrences that do not fit, which count as probes. */
const BARE = ANCHORS.map(({ lead, needle }) => `${lead?.toString('latin1') ?? ''}${needle.toString('latin1')}`);

const both = (bytes: Buffer, from = 0, to = bytes.length) => [filter(bytes, from, to), anchorInByIndexOf(bytes, from, to)];

describe('the WebAssembly pre-filter answers as one indexOf pass per needle', () => {
  it('loads here', () => {
    expect(filter).toBeDefined();
  });

  it('on every fitting text alone, and on none', () => {
    for (const text of FITTING) expect({ text: text.slice(0, 12), answers: both(Buffer.from(text)) }).toEqual({ text: text.slice(0, 12), answers: [true, true] });
    const prose = Buffer.from('lorem ipsum dolor sit amet, consectetur adipiscing elit\n'.repeat(5000));
    expect(both(prose)).toEqual([false, false]);
  });

  it('for any bytes and window, with fitting, bare and cut occurrences among noise', () => {
    const piece = fc.oneof(
      fc.constantFrom(...FITTING, ...BARE),
      fc.tuple(fc.constantFrom(...FITTING), fc.nat(), fc.nat()).map(([text, a, b]) => text.slice(Math.min(a, b) % text.length, Math.max(a, b) % text.length)),
      fc.string({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.nat(), fc.nat(), (pieces, a, b) => {
        const bytes = Buffer.from(pieces.join(''), 'latin1');
        const from = bytes.length === 0 ? 0 : Math.min(a, b) % (bytes.length + 1);
        const to = bytes.length === 0 ? 0 : Math.max(from, Math.max(a, b) % (bytes.length + 1));
        const [wasm, reference] = both(bytes, from, to);
        expect(wasm).toBe(reference);
      }),
      { numRuns: 3000 },
    );
  });

  it('at the edges of a window: first and last byte, lead before it, needle cut by its end', () => {
    for (const text of FITTING) {
      const padded = Buffer.from(`${'.'.repeat(40)}${text}${'.'.repeat(40)}`, 'latin1');
      for (let from = 30; from <= 50; from++) for (const to of [from + 1, from + 2, 40 + text.length - 1, 40 + text.length, 40 + text.length + 1, padded.length]) {
        if (to < from) continue;
        expect({ text: text.slice(0, 12), from, to, answer: filter(padded, from, to) }).toEqual({ text: text.slice(0, 12), from, to, answer: anchorInByIndexOf(padded, from, to) });
      }
    }
  });

  it('counts probes per anchor as the reference does: one over the limit passes the window', () => {
    for (const bare of BARE) {
      for (const count of [MAX_PROBES, MAX_PROBES + 1]) {
        const bytes = Buffer.from(`${bare} `.repeat(count), 'latin1');
        expect({ bare, count, answers: both(bytes) }).toEqual({ bare, count, answers: anchorInByIndexOf(bytes, 0, bytes.length) ? [true, true] : [false, false] });
      }
    }
    // The token's needle after its lead, over the limit, with no shape: passed by both.
    expect(both(Buffer.from('eyJ!'.repeat(MAX_PROBES + 1), 'latin1'))).toEqual([true, true]);
    expect(both(Buffer.from('eyJ!'.repeat(MAX_PROBES), 'latin1'))).toEqual([false, false]);
  });

  it('goes on past a full output of candidates to an occurrence after them', () => {
    // `AQ` is the fingerprint of the DER anchor's `Q` after `CA`: candidates, none of them occurrences.
    const many = 'AQ'.repeat(20_000);
    expect(both(Buffer.from(many))).toEqual([false, false]);
    expect(both(Buffer.from(`${many}${token}`))).toEqual([true, true]);
  });

  it('leaves a window longer than it holds to the reference', () => {
    const small = anchorFilter(ANCHORS, 100)!;
    const bytes = Buffer.from(`${'.'.repeat(500)}${token}`);
    expect(small(bytes, 0, bytes.length)).toBe(true);
    expect(small(bytes, 0, 400)).toBe(false);
  });

  it('with more fingerprints than buckets, shared buckets let nothing through that the reference would not', () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const anchors: Anchor[] = Array.from({ length: 40 }, (_, i) => anchor(`${letters[i]}${letters[(i * 7) % letters.length]}!`, 0, 1, /^..!#/));
    const crowded = anchorFilter(anchors, WINDOW)!;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...anchors.map((a) => `${a.needle.toString('latin1')}#`), ...anchors.map((a) => a.needle.toString('latin1'))), fc.string({ maxLength: 8 })), { maxLength: 20 }), (pieces) => {
        const bytes = Buffer.from(pieces.join(''), 'latin1');
        expect(crowded(bytes, 0, bytes.length)).toBe(anchorInByIndexOf(bytes, 0, bytes.length, anchors));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the WebAssembly byte counter', () => {
  it('counts line breaks as a search for each would, across its window and at any length', () => {
    const count = byteCounter(100)!;
    const reference = (bytes: Buffer) => {
      let n = 0;
      for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
      return n;
    };
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(10), fc.integer({ min: 0, max: 255 })), { maxLength: 700 }), (values) => {
        const bytes = Buffer.from(values);
        expect(count(bytes, 10)).toBe(reference(bytes));
      }),
      { numRuns: 500 },
    );
    expect(count(Buffer.from('\n'.repeat(1_000_003)), 10)).toBe(1_000_003);
    expect(count(Buffer.alloc(0), 10)).toBe(0);
  });
});
