import type { Artifact } from '../types.js';
import { readJoinedString, readMapLiteral, withoutLinePrefix } from './literal.js';

const QUOTES = new Set(['"', "'", '`']);
import { anchor, type Detector, type SearchGap } from './types.js';

const KTY = /kty\\*["']?\s*[:=]/g;
/** How far back from `kty` the object's `{` is looked for: first a short way, then (for a real-looking member) further. */
const BACK_WINDOW = 16 << 10;
const FAR_BACK_WINDOW = 64 << 10;
const OBJECT_WINDOW = 64 << 10;
/** `"kty": "RSA"` as a member is written (also escaped, or in single quotes): what makes a cut-short search a gap worth reporting. */
const MEMBER_VALUE = /^\s*\\*["'](?:RSA|EC|OKP|oct)\\*["']/;

/** Characters the brace matching may look at per text, beyond which the search stops (and says so). */
export const jwkBudget = (text: string) => Math.max(8 << 20, text.length * 8);

export interface JwkSearch {
  artifacts: Artifact[];
  /** Where the search stopped short: the text is hostile or too unusual to search in full. */
  gaps: SearchGap[];
}

/**
 * Finds JSON Web Keys: JSON objects with a `kty` member, alone or inside a JWKS, raw,
 * escaped inside a string, or written as a JavaScript/Python object literal. Each hit
 * is the smallest object that holds `kty`, parsed; the analysis decides what it is.
 * The brace matching has a work budget proportional to the text, so that thousands of
 * unbalanced `kty`s cannot make it quadratic. A `kty` written as a real member
 * (`"kty": "RSA"`) whose object cannot be bounded within the search windows (padded past
 * them, by accident or to hide a key) is a gap, reported, never silence.
 */
export function detectJwk(text: string): JwkSearch {
  const artifacts: Artifact[] = [];
  const gaps: SearchGap[] = [];
  let coveredUntil = -1;
  let budget = jwkBudget(text);
  KTY.lastIndex = 0;
  for (let match = KTY.exec(text); match; match = KTY.exec(text)) {
    if (match.index < coveredUntil) continue;
    if (budget <= 0) {
      gaps.push({ offset: match.index, detail: `the search for JWKs stopped here: too many unbalanced objects around 'kty' (a budget of ${jwkBudget(text)} characters looked at)` });
      break;
    }
    const member = match[0].endsWith(':') && MEMBER_VALUE.test(text.slice(match.index + match[0].length, match.index + match[0].length + 24));
    let back = enclosingObjectStart(text, match.index, BACK_WINDOW);
    if (back.cut && member) {
      budget -= BACK_WINDOW;
      back = enclosingObjectStart(text, match.index, FAR_BACK_WINDOW);
    }
    const start = back.start;
    budget -= match.index - (start === -1 ? Math.max(0, match.index - (member ? FAR_BACK_WINDOW : BACK_WINDOW)) : start);
    if (start === -1) {
      if (back.cut && member) gaps.push({ offset: match.index, detail: `a JWK member 'kty' whose object starts more than ${FAR_BACK_WINDOW >> 10} KiB before it, beyond the search window` });
      continue;
    }
    const end = matchingBrace(text, start);
    budget -= (end === -1 ? Math.min(text.length, start + OBJECT_WINDOW) : end) - start;
    if (end === -1) {
      const joined = joinedJwk(text, start);
      if (joined) {
        artifacts.push({ type: 'jwk', span: { start, end: joined.stop }, raw: joined.raw, json: joined.json });
        coveredUntil = joined.stop;
        continue;
      }
      if (member && start + OBJECT_WINDOW < text.length) gaps.push({ offset: match.index, detail: `a JWK object larger than the ${OBJECT_WINDOW >> 10} KiB search window` });
      continue;
    }
    let raw = text.slice(start, end + 1);
    let stop = end + 1;
    let json = parseObjectLiteral(raw) ?? parseObjectLiteral(withoutLinePrefix(text.slice(text.lastIndexOf('\n', start) + 1, start), raw));
    if (!json) {
      const joined = joinedJwk(text, start);
      if (joined) ({ json, raw, stop } = joined);
    }
    if (!json || typeof json.kty !== 'string') continue;
    artifacts.push({ type: 'jwk', span: { start, end: stop }, raw, json });
    coveredUntil = stop;
  }
  return { artifacts, gaps };
}

/**
 * A JWK written as JSON inside a string literal and cut into literals joined in source
 * (Java's and C#'s `"{\\"kty\\":…" +`, Python's adjacent literals): the literals read as one
 * string, parsed. The joined literals are bounded by the object window.
 */
function joinedJwk(text: string, start: number): { json: Record<string, unknown>; raw: string; stop: number } | undefined {
  if (!QUOTES.has(text[start - 1] ?? '')) return undefined;
  const joined = readJoinedString(text.slice(0, Math.min(text.length, start + OBJECT_WINDOW)), start - 1);
  if (!joined) return undefined;
  const json = parseObjectLiteral(joined.value.trim());
  return json && typeof json.kty === 'string' ? { json, raw: text.slice(start, joined.end), stop: joined.end } : undefined;
}

/**
 * Walks back from `index` to the `{` that opens the object holding it, skipping strings
 * and nested values. `cut` when the walk ran into the window's edge before the text's
 * start, undecided.
 */
function enclosingObjectStart(text: string, index: number, window: number): { start: number; cut: boolean } {
  let depth = 0;
  const stop = Math.max(0, index - window);
  const none = { start: -1, cut: false };
  let from = index - 1;
  while (from >= 0 && (text[from] === '"' || text[from] === "'" || text[from] === '\\')) from--; // the quote opening `kty` itself
  for (let i = from; i >= stop; i--) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const open = text.lastIndexOf(c, i - 1);
      if (open === -1) return none;
      if (open < stop) return { start: -1, cut: stop > 0 };
      i = open;
    } else if (c === '}' || c === ']') depth++;
    else if (c === '[') {
      // `kty` right inside a list is a map written as PHP and Groovy write them: `['kty' => 'RSA']`, `[kty: 'RSA']`.
      if (depth === 0) return { start: i, cut: false };
      depth--;
    } else if (c === '(' && depth === 0) {
      // PHP's `array('kty' => 'RSA')`, Python's `dict(kty='RSA')`.
      const name = /(?:array|dict)\s*$/.exec(text.slice(Math.max(0, i - 8), i));
      if (name) return { start: i - name[0].length, cut: false };
    } else if (c === '{') {
      if (depth === 0) return { start: i, cut: false };
      depth--;
    }
  }
  return { start: -1, cut: stop > 0 };
}

const CLOSING: Readonly<Record<string, string>> = { '{': '}', '[': ']', a: ')', d: ')' };

/** The bracket matching the one that opens at `start` (`{`, `[`, or the `(` of `array(`/`dict(`), aware of strings and escapes; -1 past the window. */
function matchingBrace(text: string, start: number): number {
  const close = CLOSING[text[start]!]!;
  const open = close === '}' ? '{' : close === ']' ? '[' : '(';
  let depth = close === ')' ? -1 : 0; // `array(`: the name comes before the bracket
  let quote = '';
  const stop = Math.min(text.length, start + OBJECT_WINDOW);
  for (let i = start; i < stop; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '\\') i++; // an escaped quote outside a string belongs to an escaped JSON text
    else if (c === '"' || c === "'") quote = c;
    else if (c === open) depth = depth === -1 ? 1 : depth + 1;
    else if (c === close && --depth === 0) return i;
  }
  return -1;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Parses a JSON object, an escaped JSON object (`{\"kty\":…}`), or a JS/Python object literal. */
export function parseObjectLiteral(raw: string): Record<string, unknown> | undefined {
  const direct = asObject(tryJson(raw));
  if (direct) return direct;
  // Escaped inside a string, possibly more than once: unescape one level at a time.
  let escaped = raw;
  for (let level = 0; level < 3 && escaped.includes('\\"'); level++) {
    const unescaped = tryJson(`"${escaped}"`);
    if (typeof unescaped !== 'string') break;
    const nested = asObject(tryJson(unescaped));
    if (nested) return nested;
    escaped = unescaped;
  }
  const relaxed = raw
    .replace(/'([^'\\\n]*)'/g, (_m, s: string) => JSON.stringify(s))
    .replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":')
    .replace(/,(\s*[}\]])/g, '$1');
  // Comments, Ruby, PHP and Groovy maps, joined and wrapped strings: read as source.
  return asObject(tryJson(relaxed)) ?? readMapLiteral(raw);
}

/** JSON Web Keys: the `kty` member. Bytes 0x80-0xff in the shape stand for the UTF-8 of any non-ASCII white space the detector's \s takes. */
export const jwkDetector: Detector = {
  name: 'jwk',
  keywords: ['kty'],
  anchors: [anchor('kty', 0, 24, /^kty[\\"'\s\x80-\xff]*(?:[:=]|$)/)],
  detect: detectJwk,
};
