import type { Artifact } from '../types.js';
import { anchor, type Detector } from './types.js';

/**
 * Candidates for JWS (three parts) and JWE (five parts) in compact serialization: a
 * base64url header that starts `eyJ` (`{"`), then dot-separated base64url parts, with
 * `-` and `_` anywhere. Whether a candidate is a token is the analysis's call (the header
 * must decode to a JSON object with `alg`).
 */
const TOKEN = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){2,4}/g;

const URL_STOP = new Set([' ', '\n', '\r', '\t', '"', "'", '(', '<', '>', '`']);
const PARAMETER_END = new Set(['?', '#', '&', ';']);

export function detectTokens(text: string): Artifact[] {
  const artifacts: Artifact[] = [];
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    const start = match.index;
    const parts = match[0].split('.');
    if (parts.length !== 3 && parts.length !== 5) {
      // Four parts, or a token followed by more dotted text: keep the JWS reading.
      parts.length = 3;
    }
    const raw = parts.join('.');
    const artifact: Artifact = { type: parts.length === 5 ? 'jwe' : 'jwt', span: { start, end: start + raw.length }, raw };
    const parameter = urlParameter(text, start);
    if (parameter) artifact.urlParameter = parameter;
    artifacts.push(artifact);
  }
  return artifacts;
}

/**
 * The query or fragment parameter a token is the value of (`…?access_token=` right
 * before it), when the text before it is a URL (an absolute one, or a path). Scans back
 * once, without regular expressions, so its cost is bounded by the 2 KB it looks at.
 */
function urlParameter(text: string, start: number): string | undefined {
  if (text[start - 1] !== '=') return undefined;
  const floor = Math.max(0, start - 2048);
  let nameStart = start - 1;
  while (nameStart > floor && start - nameStart <= 65 && !PARAMETER_END.has(text[nameStart - 1]!) && !URL_STOP.has(text[nameStart - 1]!) && text[nameStart - 1] !== '=') nameStart--;
  const separator = text[nameStart - 1];
  if (separator === undefined || !PARAMETER_END.has(separator) || nameStart === start - 1) return undefined;
  // The URL is the run of non-space, non-quote characters that holds the separator.
  let urlStart = nameStart - 1;
  while (urlStart > floor && !URL_STOP.has(text[urlStart - 1]!)) urlStart--;
  const url = text.slice(urlStart, nameStart - 1);
  const scheme = url.indexOf('://');
  const isUrl = url.startsWith('/') || (scheme > 0 && /^[a-z][a-z0-9+.-]*$/i.test(url.slice(0, scheme)));
  return isUrl ? text.slice(nameStart, start - 1) : undefined;
}

/**
 * Compact JWS and JWE: a header that starts `eyJ` (`{"`). The anchor is the single byte
 * `J` (a one-byte needle is a plain memchr, and `J` is rarer than `e` or `y`), with its
 * lead `ey` checked byte by byte.
 */
export const tokenDetector: Detector = {
  name: 'token',
  keywords: ['eyJ'],
  anchors: [anchor('J', 2, 4096, /^eyJ[A-Za-z0-9_-]{4,}(?:\.|$)/, 'ey')],
  detect: (text) => ({ artifacts: detectTokens(text) }),
};
