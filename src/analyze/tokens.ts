import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { contentEncryptionLengths, signatureLengths } from '../jose/algorithms.js';
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
      // jwt-guard-ignore-next-line insecure-verification -- the scan reports on tokens it finds; it trusts nothing in them
      claims = decodeJwt(token) as Record<string, unknown>;
    } catch {
      claims = undefined; // a JWS whose payload is not a JSON claims set
    }
    // A JWS needs a signature unless it claims alg none (which disallowed-algorithm reports).
    if (!token.split('.')[2] && header.alg.toLowerCase() !== 'none') return undefined;
  }
  const unusable = format === 'jws' ? unusableSignature(header.alg, token.split('.')[2] ?? '') : unusableEncryption(header, token.split('.'));
  return {
    kind: 'token',
    format,
    header,
    ...(claims ? { claims } : {}),
    alg: header.alg,
    ...(typeof header.enc === 'string' ? { enc: header.enc } : {}),
    ...(unusable ? { unusable } : {}),
    preview: `${token.slice(0, 12)}…`,
    digest: createHash('sha256').update(token).digest('hex'),
    token,
  };
}

/** The bytes a base64url part holds, or undefined when it cannot be base64url (a length of 4n+1). */
function partBytes(part: string): number | undefined {
  return part.length % 4 === 1 ? undefined : Math.floor((part.length * 3) / 4);
}

/** Why a JWS cannot carry a real signature for its alg (a 3-byte ES256 signature, a fuzz seed), or undefined. */
function unusableSignature(alg: string, signature: string): string | undefined {
  if (alg.toLowerCase() === 'none') return undefined;
  const bytes = partBytes(signature);
  if (bytes === undefined) return 'its signature is not base64url';
  const lengths = signatureLengths(alg);
  if (!lengths) return undefined;
  const range = 'min' in lengths;
  if (range ? bytes >= lengths.min && bytes <= lengths.max : lengths.includes(bytes)) return undefined;
  return `its ${bytes}-byte signature cannot be ${alg}'s, which is ${range ? `${lengths.min} to ${lengths.max}` : lengths.join(' or ')} bytes`;
}

/** Why a JWE cannot be a real one for its enc (an IV or tag of the wrong size), or undefined. */
function unusableEncryption(header: Record<string, unknown>, parts: string[]): string | undefined {
  const lengths = typeof header.enc === 'string' ? contentEncryptionLengths(header.enc) : undefined;
  if (!lengths) return undefined;
  const iv = partBytes(parts[2] ?? '');
  const tag = partBytes(parts[4] ?? '');
  if (iv !== lengths.iv) return `its ${iv ?? 'malformed'}-byte IV cannot be ${String(header.enc)}'s, which is ${lengths.iv} bytes`;
  if (tag !== lengths.tag) return `its ${tag ?? 'malformed'}-byte tag cannot be ${String(header.enc)}'s, which is ${lengths.tag} bytes`;
  return undefined;
}
