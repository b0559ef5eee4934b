import type { KeyFacts } from '../types.js';

const ENCODING_NAMES: Record<KeyFacts['encoding'], string> = {
  pkcs1: 'PKCS#1 PEM',
  sec1: 'SEC1 PEM',
  pkcs8: 'PKCS#8 PEM',
  'pkcs8-encrypted': 'encrypted PKCS#8 PEM',
  'pem-encrypted': 'PEM with Proc-Type encryption',
  dsa: 'DSA PEM',
  openssh: 'OpenSSH format',
  ppk: 'PuTTY .ppk',
  pgp: 'OpenPGP private key block',
  jwk: 'JWK',
  spki: 'PEM public key',
  'pkcs1-public': 'PKCS#1 PEM public key',
  x509: 'X.509 certificate',
  'ssh-public': 'OpenSSH public key',
};

/** "RSA 2048-bit" / "EC P-256" / "Ed25519" / "oct 256-bit". */
export function keySize(facts: KeyFacts): string {
  if (facts.curve && facts.curve !== facts.keyType) return `${facts.keyType} ${facts.curve}`;
  if (facts.bits) return `${facts.keyType} ${facts.bits}-bit`;
  return facts.keyType;
}

/** One line of non-secret facts: type, size, encoding, protection, identity. Never key bytes. */
export function describeKey(facts: KeyFacts): string {
  const noun = facts.keyType === 'oct' ? 'symmetric key' : facts.private ? 'private key' : 'public key';
  const what = facts.keyType === 'unknown' ? `${noun[0]!.toUpperCase()}${noun.slice(1)} of unknown type` : `${keySize(facts)} ${noun}`;
  const details = [ENCODING_NAMES[facts.encoding]];
  if (facts.encrypted) details.push('encrypted');
  if (facts.thumbprint) details.push(`thumbprint ${facts.thumbprint}`);
  else if (facts.sshFingerprint) details.push(`fingerprint ${facts.sshFingerprint}`);
  else if (facts.pgpFingerprint) details.push(`fingerprint ${facts.pgpFingerprint}`);
  if (facts.kid) details.push(`kid '${facts.kid}'`);
  if (facts.alg) details.push(`alg ${facts.alg}`);
  if (facts.subject) details.push(`subject ${facts.subject}`);
  return `${what} (${details.join(', ')})`;
}
