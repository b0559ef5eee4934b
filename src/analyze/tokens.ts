import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Artifact, TokenFacts } from '../types.js';

/**
 * Decodes a token candidate with jose. It is a token only when its header is a JSON
 * object with a string `alg` (and, for JWE, `enc`); anything else is a look-alike and
 * yields undefined. Nothing is verified here.
 */
export function analyzeToken(artifact: Artifact): TokenFacts | undefined {
  const token = artifact.raw;
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof header.alg !== 'string' || header.alg.length === 0) return undefined;
  const format = artifact.type === 'jwe' ? 'jwe' : 'jws';
  if (format === 'jwe' && typeof header.enc !== 'string') return undefined;
  if (format === 'jws' && typeof header.enc === 'string') return undefined;
  let claims: Record<string, unknown> | undefined;
  if (format === 'jws') {
    try {
      claims = decodeJwt(token) as Record<string, unknown>;
    } catch {
      claims = undefined; // a JWS whose payload is not a JSON claims set
    }
    // A JWS needs a signature unless it claims alg none (which disallowed-algorithm reports).
    if (!token.split('.')[2] && header.alg.toLowerCase() !== 'none') return undefined;
  }
  return {
    kind: 'token',
    format,
    header,
    ...(claims ? { claims } : {}),
    alg: header.alg,
    ...(typeof header.enc === 'string' ? { enc: header.enc } : {}),
    preview: `${token.slice(0, 12)}…`,
    digest: createHash('sha256').update(token).digest('hex'),
    token,
  };
}
