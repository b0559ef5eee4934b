import { createHash } from 'node:crypto';
import { isPrivateKeyLabel } from '../detect/pem.js';
import { DER_ENCODINGS, derKindOf } from '../detect/der.js';
import type { Artifact, Facts, KeyEncoding } from '../types.js';

const ARMOR_ENCODINGS: Record<string, KeyEncoding> = {
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'DSA PRIVATE KEY': 'dsa',
  'ENCRYPTED PRIVATE KEY': 'pkcs8-encrypted',
  'OPENSSH PRIVATE KEY': 'openssh',
  'PGP PRIVATE KEY BLOCK': 'pgp',
};

/**
 * What is known of an artifact without analysing it: used when its analysis threw (a bug
 * must not hide a key) or the analysis budget is spent. A private-key label, a PuTTY file
 * or a JWK with a private member is still a private key, reported unconfirmed; a token is
 * still a token, judged by its placement. Public material yields nothing: it is no secret,
 * and the gap is reported on its own. The digest is a hash of the whole artifact, which
 * holds the full private key: nothing that can be guessed. Symmetric JWKs yield nothing,
 * since a fast hash of a short secret could be.
 */
export function fallbackFacts(artifact: Artifact): Facts | undefined {
  const digest = () => createHash('sha256').update(artifact.raw).digest('hex');
  const key = (encoding: KeyEncoding, keyType = 'unknown'): Facts => ({ kind: 'key', private: true, keyType, encrypted: false, encoding, confirmed: false, digest: digest() });
  switch (artifact.type) {
    case 'pem':
    case 'openssh':
    case 'pgp':
      return artifact.label && isPrivateKeyLabel(artifact.label) ? key(ARMOR_ENCODINGS[artifact.label] ?? 'pkcs8') : undefined;
    case 'ppk':
      return key('ppk');
    case 'jwk': {
      const json = artifact.json ?? {};
      if (json.kty === 'oct' || (typeof json.d !== 'string' && typeof json.priv !== 'string')) return undefined;
      return key('jwk', typeof json.kty === 'string' ? json.kty.slice(0, 8) : 'unknown');
    }
    case 'jwt':
    case 'jwe': {
      const format = artifact.type === 'jwe' ? 'jwe' : 'jws';
      return { kind: 'token', format, header: {}, alg: '', preview: `${artifact.raw.slice(0, 12)}…`, digest: createHash('sha256').update(artifact.raw).digest('hex'), token: artifact.raw };
    }
    case 'ssh-public':
      return undefined;
    case 'der':
      // A key store not opened, or a key not read: still what its shape says it is.
      return key(DER_ENCODINGS[derKindOf(artifact) ?? 'pkcs8']);
  }
}
