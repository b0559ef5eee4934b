import forge from 'node-forge';
import { membersOf, oidOf, readAsn1 } from './asn1.js';

/**
 * Post-quantum private keys (FIPS 203, 204, 205) that node:crypto may not read: Node reads
 * ML-DSA and ML-KEM only from 24.7 on, with OpenSSL 3.5. A PKCS#8 key is recognised by
 * its AlgorithmIdentifier (read with node-forge's ASN.1 decoder), the short seed-only form
 * included; an `AKP` JWK by its members. Either way it is a private key, reported as one,
 * and the report says the runtime could not read it.
 */

const NIST_SIG = '2.16.840.1.101.3.4.3.';
const NIST_KEM = '2.16.840.1.101.3.4.4.';
const SLH_DSA = ['SHA2-128s', 'SHA2-128f', 'SHA2-192s', 'SHA2-192f', 'SHA2-256s', 'SHA2-256f', 'SHAKE-128s', 'SHAKE-128f', 'SHAKE-192s', 'SHAKE-192f', 'SHAKE-256s', 'SHAKE-256f'];

/** The post-quantum algorithms by OID (NIST's CSOR registrations). */
export const POST_QUANTUM_OIDS: Readonly<Record<string, string>> = {
  [`${NIST_SIG}17`]: 'ML-DSA-44',
  [`${NIST_SIG}18`]: 'ML-DSA-65',
  [`${NIST_SIG}19`]: 'ML-DSA-87',
  [`${NIST_KEM}1`]: 'ML-KEM-512',
  [`${NIST_KEM}2`]: 'ML-KEM-768',
  [`${NIST_KEM}3`]: 'ML-KEM-1024',
  ...Object.fromEntries(SLH_DSA.map((name, i) => [`${NIST_SIG}${20 + i}`, `SLH-DSA-${name}`])),
};

/** The algorithm of a PKCS#8 PrivateKeyInfo whose OID is a post-quantum one, else undefined. */
export function postQuantumAlgorithm(der: Buffer): string | undefined {
  // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier ::= SEQUENCE { OID, ... }, OCTET STRING privateKey, ... }
  const [version, algorithm, privateKey] = membersOf(readAsn1(der, { strict: true, whole: true }));
  if (version?.type !== forge.asn1.Type.INTEGER || privateKey?.type !== forge.asn1.Type.OCTETSTRING) return undefined;
  const oid = oidOf(membersOf(algorithm)[0]);
  return oid === undefined ? undefined : POST_QUANTUM_OIDS[oid];
}

/** Sizes an `AKP` JWK's members have (draft-ietf-cose-dilithium): `priv` is the 32-byte seed, `pub` the encoded public key. */
const AKP_SIZES: Readonly<Record<string, { pub: number; priv: number }>> = {
  'ML-DSA-44': { pub: 1312, priv: 32 },
  'ML-DSA-65': { pub: 1952, priv: 32 },
  'ML-DSA-87': { pub: 2592, priv: 32 },
};

/** Whether an `AKP` JWK's members have the sizes its `alg` gives them (undefined: an algorithm whose sizes are not known here). */
export function akpSizesMatch(alg: string, pub: Buffer | undefined, priv: Buffer | undefined): boolean | undefined {
  const sizes = AKP_SIZES[alg];
  if (!sizes) return undefined;
  return (pub === undefined || pub.length === sizes.pub) && (priv === undefined || priv.length === sizes.priv);
}
