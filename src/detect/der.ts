import type { Artifact, KeyEncoding } from '../types.js';
import { paddedRunEnd, wrappedRun } from './runs.js';
import { anchor, type Detection, type Detector } from './types.js';

/**
 * Private keys and key stores without PEM armour: DER committed as a binary file
 * (`key.der`, `keystore.p12`, `release.jks`), or its base64 written into a text
 * (`PRIVATE_KEY=MIIEvQIBADAN…` in an `.env` file, a `.pfx` in a Kubernetes secret or an ARM
 * template, a key body in Java source). A binary file of this shape reaches the detectors
 * as its base64 (src/sources/read.ts), so both are found here.
 */
export type DerKind = 'pkcs8' | 'pkcs1' | 'sec1' | 'pkcs12' | 'jks' | 'jceks';

/** The labels artifacts carry, by kind. */
export const DER_LABELS: Readonly<Record<DerKind, string>> = { pkcs8: 'PKCS8', pkcs1: 'PKCS1', sec1: 'SEC1', pkcs12: 'PKCS12', jks: 'JKS', jceks: 'JCEKS' };
const DER_KINDS: Readonly<Record<string, DerKind>> = Object.fromEntries(Object.entries(DER_LABELS).map(([kind, label]) => [label, kind as DerKind]));

/** The structure a `der` artifact's label names. */
export const derKindOf = (artifact: Artifact): DerKind | undefined => (artifact.type === 'der' ? DER_KINDS[artifact.label ?? ''] : undefined);

/** The key stores among the structures. */
export const STORE_KINDS: ReadonlySet<DerKind> = new Set(['pkcs12', 'jks', 'jceks']);

/** How each structure is named in a key's facts. */
export const DER_ENCODINGS: Readonly<Record<DerKind, KeyEncoding>> = { pkcs8: 'pkcs8-der', pkcs1: 'pkcs1-der', sec1: 'sec1-der', pkcs12: 'pkcs12', jks: 'jks', jceks: 'jceks' };

/** The first four bytes of a Java KeyStore and of a JCEKS store. */
export const JKS_MAGIC = 0xfeedfeed;
export const JCEKS_MAGIC = 0xcececece;

/** Bytes of a structure's start that classify it. */
export const DER_HEAD = 12;

/**
 * What a structure is, by its first bytes: a Java store by its magic; otherwise an outer
 * SEQUENCE (short, one-, two- or three-byte length, or BER's indefinite one) whose first
 * member is the version INTEGER and whose second is what that version goes with: 3 and a
 * ContentInfo (PKCS#12), 0 or 1 and an AlgorithmIdentifier (PKCS#8), 0 and an INTEGER
 * (PKCS#1 RSA), 1 and an OCTET STRING (SEC1 EC). `length` is the whole structure's
 * length where its header says (undefined for BER's indefinite length and the Java stores).
 */
export function derShape(bytes: Buffer): { kind: DerKind; length?: number } | undefined {
  if (bytes.length < 8) return undefined;
  const magic = bytes.readUInt32BE(0);
  if (magic === JKS_MAGIC || magic === JCEKS_MAGIC) {
    const version = bytes.readUInt32BE(4);
    return version === 1 || version === 2 ? { kind: magic === JKS_MAGIC ? 'jks' : 'jceks' } : undefined;
  }
  if (bytes[0] !== 0x30) return undefined;
  const first = bytes[1]!;
  let at = 2;
  let length: number | undefined;
  if (first < 0x80) length = first;
  else if (first === 0x80) length = undefined;
  else if (first <= 0x83) {
    const size = first - 0x80;
    length = 0;
    for (let i = 0; i < size; i++) length = length * 256 + bytes[2 + i]!;
    at += size;
    if (length < 0x80) return undefined; // not DER's shortest form: not what a key writer emits
  } else return undefined;
  if (bytes[at] !== 0x02 || bytes[at + 1] !== 0x01) return undefined;
  const version = bytes[at + 2];
  const next = bytes[at + 3];
  const whole = length === undefined ? undefined : length + at;
  let kind: DerKind | undefined;
  if (version === 3 && next === 0x30) kind = 'pkcs12';
  else if ((version === 0 || version === 1) && next === 0x30) kind = 'pkcs8';
  else if (version === 0 && next === 0x02) kind = 'pkcs1';
  else if (version === 1 && next === 0x04) kind = 'sec1';
  if (!kind || (whole === undefined && kind !== 'pkcs12')) return undefined;
  return whole === undefined ? { kind } : { kind, length: whole };
}

/**
 * Where a base64 run may begin as one of those structures: the version INTEGER
 * (`02 01 0v`) falls at a fixed place after the SEQUENCE header, so its encoding does too
 * (`M··CAQ` short, `M···AgE` one-byte length, `M·····IBA` two-byte), and the Java magics
 * encode as `/u3+7Q` and `zs7Ozg`. Each candidate is decoded and classified by derShape.
 */
const RUN_START = /(?<![A-Za-z0-9+/])(?:M[A-Za-z0-9+/]{2}CAQ[AEM]|M[A-Za-z0-9+/]{3}AgE[ABD]|M[A-Za-z0-9+/]{5}IBA[ADQTz]|\/u3\+7Q|zs7Ozg)/g;

/** Fewer base64 characters than this cannot hold a private key (an Ed25519 PKCS#8 is 64). */
const MIN_RUN = 64;

function detectDer(text: string): Detection {
  const artifacts: Artifact[] = [];
  const runs = new RegExp(RUN_START.source, 'g');
  for (let match = runs.exec(text); match; match = runs.exec(text)) {
    const start = match.index;
    // A structure wrapped over lines (`base64` without -w0, a YAML block scalar) is read whole.
    const { end, run } = wrappedRun(text, start, paddedRunEnd(text, start));
    runs.lastIndex = end;
    if (run.length < MIN_RUN) continue;
    const head = Buffer.from(run.slice(0, 24), 'base64');
    const shape = derShape(head);
    if (!shape) continue;
    // The whole structure must be there: a truncated example is no key.
    if (shape.length !== undefined && Math.floor((run.length * 3) / 4) < shape.length) continue;
    artifacts.push({ type: 'der', span: { start, end }, raw: run, label: DER_LABELS[shape.kind] });
  }
  return { artifacts };
}

/**
 * The pre-filter's needles are chosen for their cost (how often their first two bytes occur in ordinary text):
 * `MI` stands for the one- and two-byte length forms, whose version falls after it, `CAQ`
 * (the long form's) is found by its `Q` after `CA` (the pre-filter looks for the pair `AQ`,
 * far rarer than `CA`), and the Java magics are found by their rarer ends. A window cut short is given the benefit of the doubt.
 */
export const derDetector: Detector = {
  name: 'der',
  keywords: ['CAQ', 'AgE', 'IBA', '/u3+7Q', 'zs7Ozg'],
  anchors: [
    anchor('MI', 0, 8, /^MI(?:[E-H][A-Za-z0-9+/]AgE[ABD]|[I-L][A-Za-z0-9+/]{3}IBA[ADQTz])|^MI[A-Za-z0-9+/]{0,7}$/),
    anchor('Q', 5, 1, /^M[A-Za-z0-9+/]{2}CAQ(?:[AEM]|$)/, 'CA'),
    anchor('+7Q', 3, 0, /^\/u3\+7Q/, '/u3'),
    anchor('zs7Ozg', 0, 0, /^zs7Ozg/),
  ],
  detect: detectDer,
};
