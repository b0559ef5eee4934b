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

/** Undoes the escapes that put a multi-line block on one line (JSON, JS, YAML, XML, .env). */
export function unescapeBlock(text: string): string {
  return text
    .replace(/\\+u([0-9a-fA-F]{4})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&#(?:10|13|x0?[aAdD]);/g, '\n')
    .replace(/\\+[nr]/g, '\n')
    .replace(/\\+t/g, ' ')
    .replace(/\\+\//g, '/');
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
export function cleanArmorBody(inner: string, options: { pgp?: boolean } = {}): ArmorBody | undefined {
  const headers: Array<[string, string]> = [];
  const parts: string[] = [];
  const lines = unescapeBlock(inner).split(/\r\n|\r|\n/);
  for (const line of lines) {
    const header = /^[\s"'`#/*]*([A-Za-z][A-Za-z-]*):\s*(.*?)["'`,;+\s\\]*$/.exec(line);
    if (header && KNOWN_HEADERS.has(header[1]!.toLowerCase()) && parts.length === 0) {
      headers.push([header[1]!, header[2]!]);
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
  if (base64.length < 40 || base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  return { headers, base64 };
}

/** Rebuilds a canonical PEM document that node:crypto can read. */
export function toPem(label: string, body: ArmorBody): string {
  const headerText = body.headers.length > 0 ? `${body.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n` : '';
  const wrapped = body.base64.replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${headerText}${wrapped}-----END ${label}-----\n`;
}
