import { createHash } from 'node:crypto';

/** The members RFC 7638 (and, for AKP, the ML-DSA JOSE draft) hashes for each key type, in lexicographic order. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  AKP: ['alg', 'kty', 'pub'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
  oct: ['k', 'kty'],
};

/**
 * A JWK's SHA-256 thumbprint (RFC 7638), computed synchronously with node:crypto: the key
 * type's required members, in lexicographic order, as JSON without white space, hashed and
 * base64url-encoded. jose's `calculateJwkThumbprint` computes the same through WebCrypto's
 * asynchronous digest, whose round trip through the thread pool (~0.18 ms a key, the main
 * thread idle) was 0.7 s of the fixture-dense bench tree's 3.6 s; the tests hold the two
 * equal for every key type. Undefined for a key type or member it does not know how to
 * hash: callers then ask jose, which says what is wrong.
 */
export function jwkThumbprint(jwk: Readonly<Record<string, unknown>>): string | undefined {
  const members = typeof jwk.kty === 'string' ? REQUIRED[jwk.kty] : undefined;
  if (!members) return undefined;
  const required: Record<string, string> = {};
  for (const member of members) {
    const value = jwk[member];
    // Every member must be a non-empty string, but an `oct` key's `k` may be empty.
    if (typeof value !== 'string' || (value === '' && !(member === 'k' && jwk.kty === 'oct'))) return undefined;
    required[member] = value;
  }
  const input = JSON.stringify(required);
  // jose refuses members that are not ASCII (no key's encoding holds any): so does this.
  if (!/^[\x00-\x7f]*$/.test(input)) return undefined;
  return createHash('sha256').update(input).digest('base64url');
}
