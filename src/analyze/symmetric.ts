import { isUtf8 } from 'node:buffer';
import { createHash, pbkdf2Sync } from 'node:crypto';

/**
 * Whether a symmetric key could be guessed: shorter than 128 bits, text (a password or
 * passphrase, a hex or base64 string, any valid UTF-8), or too repetitive to be random.
 * The bytes of a generated key (`randomBytes`, `generateSecret`, a JWK tool) are none of
 * these: 16 random bytes are valid UTF-8 about once in a few thousand, and 32 about never.
 */
export function couldBeGuessed(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || isUtf8(bytes)) return true;
  const distinct = new Set(bytes.subarray(0, 64)).size;
  return distinct < Math.min(bytes.length, 64) * 0.75;
}

/**
 * The digest that identifies a symmetric key in fingerprints (never shown). A fast hash
 * of a key with 128 random bits or more cannot be reversed, so such keys get SHA-256,
 * domain-separated. A key that could be guessed would be found from a fast hash by
 * trying guesses, so its digest is PBKDF2 (10,000 iterations, ~2.5 ms), each guess as
 * dear for whoever holds the report as each key is for the scan. Deterministic either
 * way: the same key has the same fingerprint in every scan, in the tree and in history.
 */
export function symmetricKeyDigest(bytes: Uint8Array): string {
  if (couldBeGuessed(bytes)) return pbkdf2Sync(bytes, 'jwt-guard oct fingerprint', 10_000, 16, 'sha256').toString('hex');
  return createHash('sha256').update('jwt-guard oct key\0').update(bytes).digest('hex').slice(0, 32);
}
