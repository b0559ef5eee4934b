/**
 * Recovers the base64 body of an armored block (PEM, OpenSSH, PGP) from the many ways
 * it sits in files: plain, `\n`-escaped inside a JSON or .env string, split into quoted
 * and concatenated source strings, indented in a YAML block scalar, or commented out.
 * Anything that is neither base64, a header, nor string syntax rejects the candidate:
 * placeholders (`...`, `<your key>`, `${KEY}`) and code that builds a PEM around a
 * variable yield nothing.
 */

export interface ArmorBody {
  headers: Array<[string, string]>;
  base64: string;
}

const KNOWN_HEADERS = new Set(['proc-type', 'dek-info', 'comment', 'version', 'hash', 'charset', 'messageid']);

/** String concatenation operators and comment or list markers that may separate body lines. */
const SYNTAX_TOKENS = new Set(['+', '.', '..', '&', '<<', '|', '||', '-', '#', '//', '/*', '*/', '*', '--', '>', ':', '=']);

/**
 * Undoes the escapes that put a multi-line block on one line (JSON, JS, YAML, XML, .env),
 * any number of backslashes deep, in one linear pass.
 */
export function unescapeBlock(text: string): string {
  if (!text.includes('\\') && !text.includes('&#')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '&' && text[i + 1] === '#') {
      const entity = /^&#(?:10|13|x0?[aAdD]);/.exec(text.slice(i, i + 6));
      if (entity) {
        out += '\n';
        i += entity[0].length - 1;
        continue;
      }
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] === '\\') j++;
    const next = text[j];
    if (next === 'n' || next === 'r') out += '\n';
    else if (next === 't') out += ' ';
    else if (next === '/') out += '/';
    else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 1, j + 5))) {
      out += String.fromCharCode(parseInt(text.slice(j + 1, j + 5), 16));
      j += 4;
    } else {
      out += text.slice(i, j + (next === undefined ? 0 : 1));
    }
    i = next === undefined ? j - 1 : j;
  }
  return out;
}

const EDGE = new Set([' ', '\t', '"', "'", '`', '#', '/', '*']);
const TAIL = new Set(['"', "'", '`', ',', ';', '+', ' ', '\t', '\\']);

/** "Proc-Type: 4,ENCRYPTED" (with string or comment syntax around it) as a name and value, without backtracking. */
function armorHeader(line: string): [string, string] | undefined {
  let start = 0;
  while (start < line.length && EDGE.has(line[start]!)) start++;
  const colon = line.indexOf(':', start);
  if (colon === -1) return undefined;
  const name = line.slice(start, colon);
  if (!/^[A-Za-z][A-Za-z-]{0,31}$/.test(name) || !KNOWN_HEADERS.has(name.toLowerCase())) return undefined;
  let end = line.length;
  while (end > colon + 1 && TAIL.has(line[end - 1]!)) end--;
  return [name, line.slice(colon + 1, end).trim()];
}

/** Keeps only what stands inside quotes, starting inside one (the BEGIN marker was in a string). */
export function quotedContent(text: string): string {
  let inside = true;
  let quote = '';
  let out = '';
  for (const char of text) {
    if (char === '"' || char === "'" || char === '`') {
      if (inside && (quote === '' || quote === char)) {
        inside = false;
        quote = char;
        continue;
      }
      if (!inside) {
        inside = true;
        quote = char;
        continue;
      }
    }
    if (inside) out += char;
    else if (char === '\n') out += '\n';
  }
  return out;
}

/**
 * Cleans the text between BEGIN and END markers into headers and a base64 body.
 * Returns undefined when the text holds anything that cannot belong to a real key.
 */
export function cleanArmorBody(inner: string, options: { pgp?: boolean; damaged?: boolean } = {}): ArmorBody | undefined {
  const headers: Array<[string, string]> = [];
  const parts: string[] = [];
  const lines = unescapeBlock(inner).split(/\r\n|\r|\n/);
  for (const line of lines) {
    const header = parts.length === 0 ? armorHeader(line) : undefined;
    if (header) {
      headers.push(header);
      continue;
    }
    for (const token of line.split(/[\s"'`,;()[\]{}\\]+/)) {
      if (token === '' || SYNTAX_TOKENS.has(token) || /^\/+$/.test(token)) continue;
      if (!/^[A-Za-z0-9+/=]+$/.test(token)) return undefined;
      parts.push(token);
    }
  }
  if (options.pgp && parts.length > 0 && /^=[A-Za-z0-9+/]{4}$/.test(parts[parts.length - 1]!)) parts.pop();
  const base64 = parts.join('');
  // `damaged`: a body whose length is not a multiple of 4 (a character lost or added in a copy) is kept, for a lower-confidence report.
  if (base64.length < 40 || (base64.length % 4 !== 0 && !options.damaged) || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  return { headers, base64 };
}

/** Rebuilds a canonical PEM document that node:crypto can read. */
export function toPem(label: string, body: ArmorBody): string {
  const headerText = body.headers.length > 0 ? `${body.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n` : '';
  const wrapped = body.base64.replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${headerText}${wrapped}-----END ${label}-----\n`;
}
