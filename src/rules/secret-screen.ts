import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { WELL_KNOWN_SECRETS } from './data/well-known-secrets.js';

/** The HS* algorithms: their hash, and the length of their signature. */
export const HMAC_ALGS: Readonly<Record<string, { hash: string; bytes: number }>> = {
  HS256: { hash: 'sha256', bytes: 32 },
  HS384: { hash: 'sha384', bytes: 48 },
  HS512: { hash: 'sha512', bytes: 64 },
};

/** How many candidates the screen tries: the bundled well-known secrets. */
export const CANDIDATES = WELL_KNOWN_SECRETS.length;

/** The candidates as node:crypto secret keys, made once per thread (the key is then not prepared again for every HMAC). */
let keys: KeyObject[] | undefined;

/**
 * The index of the first well-known secret in [from, to) whose HMAC (node:crypto) of
 * `input` is `signature`, or -1. A screen only: whoever calls it has jose verify the token
 * with the secret found. Pure, so that ranges of the list can be screened on different
 * threads and give what one thread would.
 */
export function screenSecrets(alg: string, input: Uint8Array, signature: Uint8Array, from = 0, to = CANDIDATES): number {
  const spec = HMAC_ALGS[alg];
  if (!spec || signature.length !== spec.bytes) return -1;
  keys ??= WELL_KNOWN_SECRETS.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
  for (let i = Math.max(0, from); i < Math.min(to, CANDIDATES); i++) {
    if (timingSafeEqual(createHmac(spec.hash, keys[i]!).update(input).digest(), signature)) return i;
  }
  return -1;
}
