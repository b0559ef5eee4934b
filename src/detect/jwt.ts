import type { Artifact } from '../types.js';

/**
 * Candidates for JWS (three parts) and JWE (five parts) in compact serialization: a
 * base64url header that starts `eyJ` (`{"`), then dot-separated base64url parts, with
 * `-` and `_` anywhere. Whether a candidate is a token is the analysis's call (the header
 * must decode to a JSON object with `alg`).
 */
const TOKEN = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){2,4}/g;

/** A URL (absolute, or a path) whose last query or fragment parameter is open right before the token. */
const URL_BEFORE = /(?:[a-z][a-z0-9+.-]*:\/\/|^\/)[^\s"'<>`]*?[?#&;]([^\s"'<>`=&;#?]{1,64})=$/i;

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

function urlParameter(text: string, start: number): string | undefined {
  const from = Math.max(0, start - 2048);
  const before = text.slice(from, start);
  // The URL is the run of non-space, non-quote characters right before the token.
  const cut = Math.max(before.lastIndexOf(' '), before.lastIndexOf('\n'), before.lastIndexOf('\t'), before.lastIndexOf('"'), before.lastIndexOf("'"), before.lastIndexOf('('), before.lastIndexOf('<'), before.lastIndexOf('`'));
  const candidate = before.slice(cut + 1);
  return URL_BEFORE.exec(candidate)?.[1];
}
