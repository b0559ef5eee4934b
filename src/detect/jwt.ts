import type { Artifact } from '../types.js';
import { anchor, type Detector } from './types.js';
import { append } from '../util/arrays.js';
import { runEnd } from './runs.js';

/**
 * Candidates for JWS (three parts) and JWE (five parts) in compact serialization: a
 * base64url header that starts as a JSON object does, then dot-separated
 * base64url parts, with `-` and `_` anywhere. It starts where a base64url run starts, or
 * right after a string escape (`\n`, `\r`, `\t`: a token on the next line of a JSON-lines
 * log message), or after an underscore or dash that glues it to a prefix
 * (`ghs_…_eyJ…`). Whether a candidate is a token is the analysis's call (the header must
 * decode to a JSON object with `alg`). The regular expression finds where a token may
 * start; its extent is measured by hand (tokenShapeAt), so a run of megabytes costs one
 * pass and no backtracking stack.
 */
const TOKEN_START = /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]))e(?:yJ|yA|wo|w0|wk)(?=[A-Za-z0-9_-]{4})/g;
/** A header start glued to a prefix by `_` or `-`, inside a base64url run (tried apart from TOKEN_START, so that no run is searched twice). */
const GLUED = /[_-](?=e(?:yJ|yA|wo|w0|wk))/g;

/**
 * A token's extent from a start, by hand so that it is plainly linear: a run of at least 7
 * characters, then two to four dotted runs. Without a match, where the header's run ends.
 */
function tokenShapeAt(text: string, start: number): { matched?: string; end: number } {
  let end = runEnd(text, start);
  if (end - start < 7) return { end };
  const headerEnd = end;
  let parts = 1;
  while (parts < 5 && text.charCodeAt(end) === 46) {
    end = runEnd(text, end + 1);
    parts++;
  }
  return parts >= 3 ? { matched: text.slice(start, end), end } : { end: headerEnd };
}

const URL_STOP = new Set([' ', '\n', '\r', '\t', '"', "'", '(', '<', '>', '`']);
const PARAMETER_END = new Set(['?', '#', '&', ';']);

export function detectTokens(text: string): Artifact[] {
  const artifacts: Artifact[] = [];
  TOKEN_START.lastIndex = 0;
  for (let match = TOKEN_START.exec(text); match; match = TOKEN_START.exec(text)) {
    const { matched, end } = tokenShapeAt(text, match.index);
    if (matched) artifacts.push(tokenAt(text, match.index, matched));
    else {
      const wrapped = wrappedToken(text, match.index);
      if (wrapped) {
        artifacts.push(wrapped);
        TOKEN_START.lastIndex = wrapped.span.end;
        continue;
      }
    }
    TOKEN_START.lastIndex = Math.max(end, match.index + 1);
  }
  joinTokens(text, artifacts);
  if (!text.includes('_e') && !text.includes('-e')) return artifacts;
  // Glued to a prefix: each run is tried once. A failed try covers the rest of its run (a
  // later start in the same run meets the same end), so the search stays linear.
  const taken = artifacts.map((a) => a.span);
  let covered = 0;
  const glued: Artifact[] = [];
  GLUED.lastIndex = 0;
  for (let hit = GLUED.exec(text); hit; hit = GLUED.exec(text)) {
    const start = hit.index + 1;
    if (start < covered || taken.some((span) => start >= span.start && start < span.end)) continue;
    const { matched, end } = tokenShapeAt(text, start);
    if (matched) glued.push(tokenAt(text, start, matched));
    covered = end;
  }
  if (glued.length === 0) return artifacts;
  append(artifacts, glued);
  return artifacts.sort((a, b) => a.span.start - b.span.start);
}

/** Lines a wrapped token may run over, and how long a line must be to have been wrapped. */
const MAX_WRAPPED_LINES = 4;
const MIN_WRAP_WIDTH = 40;

/**
 * A token that a fixed-width logger or terminal wrapped over lines: one that is not whole
 * where its line ends, followed through the next lines (their indentation skipped) while
 * they go on with base64url and dots, as long as the line it was cut at is long enough to
 * have been wrapped. Reported over all its lines, when the joined text is a token.
 */
function wrappedToken(text: string, start: number): Artifact | undefined {
  let end = pieceEnd(text, start);
  // The width the text was wrapped at: the first line's, which the token runs to the end of.
  const width = end - (text.lastIndexOf('\n', start) + 1);
  if (width < MIN_WRAP_WIDTH) return undefined;
  let joined = text.slice(start, end);
  let best: Artifact | undefined;
  for (let line = 1; line < MAX_WRAPPED_LINES; line++) {
    let at = end;
    if (text.charCodeAt(at) === 13) at++;
    if (text.charCodeAt(at) !== 10) break;
    at++;
    while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at++;
    const next = pieceEnd(text, at);
    if (next === at) break;
    joined += text.slice(at, next);
    end = next;
    const { matched } = tokenShapeAt(joined, 0);
    if (!matched || matched.length !== joined.length) continue;
    best = { ...tokenAt(joined, 0, matched), span: { start, end } };
    // Whole, unless the line that holds its end was cut at the same width.
    const cut = (text.charCodeAt(end) === 10 || text.charCodeAt(end) === 13) && end - text.lastIndexOf('\n', end - 1) - 1 >= width;
    if (!cut) break;
  }
  return best;
}

/** A token that starts a string literal (or a line continued with `\`), to be followed through the strings joined to it. */
const QUOTED_START = /(?<=["'`])e(?:yJ|yA|wo|w0|wk)(?=[A-Za-z0-9_-]{4})/g;
/** What may join two string literals in source: `+` (JavaScript, Java, C#, Go), `.` (PHP), `&` (VB), `..` (Lua), `\` before a line break (Ruby, shell), or nothing (C, Python). */
const JOINERS = new Set(['+', '.', '&', '\\']);
const MAX_PIECES = 64;

/** Where the base64url-and-dots run from `from` ends. */
function pieceEnd(text: string, from: number): number {
  let end = from;
  for (;;) {
    end = runEnd(text, end);
    if (text.charCodeAt(end) !== 46) return end;
    end++;
  }
}

/**
 * Tokens cut into string literals joined in source (`"eyJ…" +\n "…"`, Python's and C's
 * adjacent literals, a shell string continued with `\`): the pieces are followed while
 * each is base64url and dots, and the token they join is reported over all of them. One
 * that replaces the cut-short token the plain search found at the same start.
 */
function joinTokens(text: string, artifacts: Artifact[]): void {
  if (!/["'`]e[yw]/.test(text)) return;
  let added = false;
  QUOTED_START.lastIndex = 0;
  for (let match = QUOTED_START.exec(text); match; match = QUOTED_START.exec(text)) {
    const start = match.index;
    const quote = text[start - 1]!;
    const firstEnd = pieceEnd(text, start);
    let end = firstEnd;
    let joined = text.slice(start, end);
    let pieces = 1;
    for (; pieces < MAX_PIECES; pieces++) {
      let at = end;
      // Inside the string, `\` at a line's end continues it on the next line (shell, Python).
      if (text[at] === '\\' && (text[at + 1] === '\n' || text[at + 1] === '\r')) {
        at += 2;
        while (/\s/.test(text[at] ?? '')) at++;
      } else {
        if (text[at] !== quote) break;
        at++;
        while (/\s/.test(text[at] ?? '')) at++;
        if (JOINERS.has(text[at] ?? '')) {
          at += text[at] === '.' && text[at + 1] === '.' ? 2 : 1;
          while (/\s/.test(text[at] ?? '')) at++;
        }
        if (text[at] !== quote) break;
        at++;
      }
      const next = pieceEnd(text, at);
      if (next === at) break;
      joined += text.slice(at, next);
      end = next;
    }
    QUOTED_START.lastIndex = Math.max(end, start + 1);
    if (pieces < 2) continue;
    const { matched } = tokenShapeAt(joined, 0);
    if (!matched) continue;
    // The first piece must pass the reading pre-filter by itself, as the plain search's starts do.
    const first = text.slice(start, firstEnd);
    if (!/^e..[A-Za-z0-9_-]{4,}\./.test(first) && first.length < 39) continue;
    const artifact: Artifact = { ...tokenAt(joined, 0, matched), span: { start, end } };
    const plain = artifacts.findIndex((a) => a.span.start === start);
    if (plain !== -1) artifacts[plain] = artifact;
    else {
      artifacts.push(artifact);
      added = true;
    }
  }
  if (added) artifacts.sort((a, b) => a.span.start - b.span.start);
}

function tokenAt(text: string, start: number, matched: string): Artifact {
  const parts = matched.split('.');
  if (parts.length !== 3 && parts.length !== 5) {
    // Four parts, or a token followed by more dotted text: keep the JWS reading.
    parts.length = 3;
  }
  const raw = parts.join('.');
  const artifact: Artifact = { type: parts.length === 5 ? 'jwe' : 'jwt', span: { start, end: start + raw.length }, raw };
  const parameter = urlParameter(text, start);
  if (parameter) artifact.urlParameter = parameter;
  return artifact;
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
  return isUrl(text.slice(urlStart, nameStart - 1)) ? text.slice(nameStart, start - 1) : undefined;
}

/** A log field or key that holds a URL (`uri=`, `url:`, `request_path=`), before the URL itself. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_.-]{0,30}[=:](?!\/\/)/;
/** A base URL written as a template variable: `{{baseUrl}}` (Postman, .http files), `${BASE}`, `$BASE_URL`, `%BASE%`. */
const TEMPLATE = /^(?:\{\{[A-Za-z0-9_.-]{1,64}\}\}|\$\{[A-Za-z0-9_.-]{1,64}\}|\$[A-Za-z_][A-Za-z0-9_]{0,63}|%[A-Za-z_][A-Za-z0-9_]{0,63}%)/;

/** Whether the text before a query is a URL: absolute, a path, or either behind a log field or a template base. */
function isUrl(candidate: string): boolean {
  let url = candidate;
  const field = FIELD.exec(url);
  if (field) url = url.slice(field[0].length);
  const template = TEMPLATE.exec(url);
  if (template) return url.charAt(template[0].length) === '/';
  if (url.startsWith('/')) return true;
  const scheme = url.indexOf('://');
  return scheme > 0 && /^[a-z][a-z0-9+.-]*$/i.test(url.slice(0, scheme));
}

/**
 * Compact JWS and JWE. For the usual header, `eyJ` (`{"`), the anchor is the single byte
 * `J` (a one-byte needle is a plain memchr, and `J` is rarer than `e` or `y`), with its
 * lead `ey` checked byte by byte; the headers that begin with white space have two-byte
 * needles after their `e`. Each shape also lets through a run of 36 base64 characters:
 * the same starts begin a base64-encoded JSON object, which the base64 detector decodes.
 */
export const tokenDetector: Detector = {
  name: 'token',
  // How a base64url-encoded JSON object begins: `{"` is `eyJ`, and a header written with
  // white space first begins `{ ` (`eyA`), `{\n` (`ewo`), `{\r` (`ew0`) or `{\t` (`ewk`).
  // The third character is fixed by the first two bytes, so these five cover every header.
  keywords: ['eyJ', 'eyA', 'ewo', 'ew0', 'ewk'],
  anchors: [
    anchor('J', 2, 4096, /^eyJ(?:[A-Za-z0-9_-]{4,}(?:\.|$)|[A-Za-z0-9+/_-]{36})/, 'ey'),
    anchor('yA', 1, 4096, /^eyA(?:[A-Za-z0-9_-]{4,}(?:\.|$)|[A-Za-z0-9+/_-]{36})/, 'e'),
    anchor('wo', 1, 4096, /^ewo(?:[A-Za-z0-9_-]{4,}(?:\.|$)|[A-Za-z0-9+/_-]{36})/, 'e'),
    anchor('w0', 1, 4096, /^ew0(?:[A-Za-z0-9_-]{4,}(?:\.|$)|[A-Za-z0-9+/_-]{36})/, 'e'),
    anchor('wk', 1, 4096, /^ewk(?:[A-Za-z0-9_-]{4,}(?:\.|$)|[A-Za-z0-9+/_-]{36})/, 'e'),
  ],
  detect: (text) => ({ artifacts: detectTokens(text) }),
};
