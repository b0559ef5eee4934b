import type { Artifact } from '../types.js';

const KTY = /kty\\*["']?\s*[:=]/g;
const BACK_WINDOW = 16 << 10;
const OBJECT_WINDOW = 64 << 10;

/** Characters the brace matching may look at per text, beyond which the search stops (and says so). */
export const jwkBudget = (text: string) => Math.max(8 << 20, text.length * 8);

export interface JwkSearch {
  artifacts: Artifact[];
  /** Set when the search stopped early: the text is hostile or too unusual to search in full. */
  incomplete?: string;
}

/**
 * Finds JSON Web Keys: JSON objects with a `kty` member, alone or inside a JWKS, raw,
 * escaped inside a string, or written as a JavaScript/Python object literal. Each hit
 * is the smallest object that holds `kty`, parsed; the analysis decides what it is.
 * The brace matching has a work budget proportional to the text, so that thousands of
 * unbalanced `kty`s cannot make it quadratic.
 */
export function detectJwk(text: string): JwkSearch {
  const artifacts: Artifact[] = [];
  let coveredUntil = -1;
  let budget = jwkBudget(text);
  KTY.lastIndex = 0;
  for (let match = KTY.exec(text); match; match = KTY.exec(text)) {
    if (match.index < coveredUntil) continue;
    if (budget <= 0) return { artifacts, incomplete: `the search for JWKs stopped at offset ${match.index}: too many unbalanced objects around 'kty'` };
    const start = enclosingObjectStart(text, match.index);
    budget -= match.index - (start === -1 ? Math.max(0, match.index - BACK_WINDOW) : start);
    if (start === -1) continue;
    const end = matchingBrace(text, start);
    budget -= (end === -1 ? Math.min(text.length, start + OBJECT_WINDOW) : end) - start;
    if (end === -1) continue;
    const raw = text.slice(start, end + 1);
    const json = parseObjectLiteral(raw);
    if (!json || typeof json.kty !== 'string') continue;
    artifacts.push({ type: 'jwk', span: { start, end: end + 1 }, raw, json });
    coveredUntil = end + 1;
  }
  return { artifacts };
}

/** Walks back from `index` to the `{` that opens the object holding it, skipping strings and nested values. */
function enclosingObjectStart(text: string, index: number): number {
  let depth = 0;
  const stop = Math.max(0, index - BACK_WINDOW);
  let from = index - 1;
  while (from >= 0 && (text[from] === '"' || text[from] === "'" || text[from] === '\\')) from--; // the quote opening `kty` itself
  for (let i = from; i >= stop; i--) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const open = text.lastIndexOf(c, i - 1);
      if (open === -1 || open < stop) return -1;
      i = open;
    } else if (c === '}' || c === ']') depth++;
    else if (c === '[') {
      if (--depth < 0) return -1;
    } else if (c === '{') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The `}` matching the `{` at `start`, aware of strings and escapes; -1 past the window. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let quote = '';
  const stop = Math.min(text.length, start + OBJECT_WINDOW);
  for (let i = start; i < stop; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '\\') i++; // an escaped quote outside a string belongs to an escaped JSON text
    else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
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
  return asObject(tryJson(relaxed));
}
