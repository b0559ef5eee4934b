import type { Artifact } from '../types.js';
import { append } from '../util/arrays.js';
import { isBase64Code, paddedRunEnd, wrappedRun } from './runs.js';
import { anchor, type Detection, type Detector, type SearchGap } from './types.js';

/**
 * Keys and tokens committed base64-encoded: Kubernetes `Secret.data` values, `*_B64`
 * variables, Helm values, CI variables, a JWT encoded as a whole. A run of base64 that
 * begins the way an encoded PEM block (`-----BEGIN ` is `LS0tLS1CRUdJTi`), an encoded
 * token (`eyJ` is `ZXlK`) or an encoded JSON object (`{"` is `eyJ`, `{\n` is `ewo`,
 * `{ ` is `eyA`) begins is decoded, and so is a JSON object encoded twice (`ZXlK`, `ZXdv`,
 * `ZXlB`); the ordinary detectors run on what it decodes to;
 * what they find is reported at the encoded run. Runs nest at most two levels, and the
 * decoding is bounded per text (past it, a gap says so).
 */
const RUN_START = /(?<![A-Za-z0-9+/_-])(?:LS0tLS1CRUdJTi|ZXlK|ZXdv|ZXlB|eyJ|ewo|eyA)(?=[A-Za-z0-9+/_-]{36})/g;

/** Characters decoded per text, over all runs and levels. */
export const BASE64_BUDGET = 8 << 20;
const MAX_DEPTH = 2;


/** Whether decoded bytes are text (UTF-8, no control characters but line breaks and tabs): what an encoded key or token decodes to. */
function asText(bytes: Buffer): string | undefined {
  for (const byte of bytes) if (byte < 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return undefined;
  const text = bytes.toString('utf8');
  return text.includes('\ufffd') ? undefined : text;
}

/**
 * The artifacts inside base64 runs of a text. `inner` runs the ordinary detectors (this
 * one among them) on a decoded text, one level deeper.
 */
export function detectEncoded(text: string, inner: (decoded: string, depth: number) => Detection, depth = 0): Detection {
  const artifacts: Artifact[] = [];
  const gaps: SearchGap[] = [];
  if (depth >= MAX_DEPTH) return { artifacts, gaps };
  let budget = BASE64_BUDGET;
  // Its own copy of the pattern: the detectors run again, on the decoded text, inside this loop.
  const runs = new RegExp(RUN_START.source, 'g');
  for (let match = runs.exec(text); match; match = runs.exec(text)) {
    const start = match.index;
    // A run wrapped over lines (`base64` without -w0, a YAML block scalar) is decoded whole.
    const { end, run } = wrappedRun(text, start, paddedRunEnd(text, start));
    runs.lastIndex = end;
    // An `eyJ…` run followed by `.` and more is a compact token: the token detector's.
    if (text.charCodeAt(end) === 46 && isBase64Code(text.charCodeAt(end + 1))) continue;
    if (run.length > budget) {
      gaps.push({ offset: start, detail: `base64 past the ${BASE64_BUDGET >> 20} MiB decoding budget of this text was not decoded, so what it encodes was not searched` });
      break;
    }
    budget -= run.length;
    const decoded = asText(Buffer.from(run, /[-_]/.test(run) ? 'base64url' : 'base64'));
    if (decoded === undefined) continue;
    const found = inner(decoded, depth + 1);
    for (const artifact of found.artifacts) artifacts.push({ ...artifact, span: { start, end }, wrapped: 'base64' });
    // a gap in the decoded text is a gap at the run
    append(gaps, (found.gaps ?? []).map((gap) => ({ offset: start, detail: `in base64-encoded text: ${gap.detail}` })));
  }
  return { artifacts, gaps };
}

export function base64Detector(inner: (decoded: string, depth: number) => Detection): Detector & { detectAt(text: string, depth: number): Detection } {
  return {
    name: 'base64',
    keywords: ['LS0tLS1CRUdJTi', 'ZXlK', 'ZXdv', 'ZXlB', 'eyJ', 'ewo', 'eyA'],
    // `eyJ`, `ewo` and `eyA` are the token detector's anchors (their shapes let encoded JSON through).
    // `-----BEGIN` is found by its end, `UdJTi`, with the rest checked as its lead: `Ud` is a rare
    // pair (the pre-filter looks for a needle's first two bytes), and the fallback's Buffer.indexOf
    // sets up a slower search, per block, for a needle of seven bytes or more.
    anchors: [anchor('UdJTi', 9, 0, /^LS0tLS1CRUdJTi/, 'LS0tLS1CR'), anchor('ZX', 0, 40, /^ZX(?:lK|dv|lB)[A-Za-z0-9+/_-]{36}/)],
    detect: (text) => detectEncoded(text, inner),
    detectAt: (text, depth) => detectEncoded(text, inner, depth),
  };
}
