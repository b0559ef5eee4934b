import { bracketList } from '../util/format.js';
/**
 * What jwt-guard knows about JOSE algorithms (RFC 7518, RFC 8037, RFC 8812, RFC 9864, and
 * ML-DSA as the IETF's JOSE draft for FIPS 204 registers it),
 * in one place: the families, which key each algorithm needs, which jwt-guard mints with,
 * and the policy judgement that the rules, the verifier, mint and keygen all share.
 */

/** Never allowed, whatever the policy says: RFC 8725 2.1/3.2 (`none`) and padding-oracle attacks (`RSA1_5`). */
export const ALWAYS_DENIED = ['none', 'RSA1_5'] as const;

export const SIGNING_ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'];
export const SIGNING_HMAC = ['HS256', 'HS384', 'HS512'];
export const KEY_MANAGEMENT_ASYMMETRIC = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW'];
export const KEY_MANAGEMENT_SYMMETRIC = ['A128KW', 'A192KW', 'A256KW', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW', 'dir', 'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'];
/** JWE content encryption (`enc`, RFC 7518 5.1): also what a JWK for `dir` encryption names as its `alg` (RFC 7520 does). */
export const CONTENT_ENCRYPTION = ['A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM'];

export interface AlgorithmPolicy {
  allow: string[];
  deny: string[];
}

export type AlgorithmVerdict = { allowed: true } | { allowed: false; reason: string };

/** Judges one `alg` value against the policy. `none` is caught in any casing. */
export function judgeAlgorithm(alg: string, policy: AlgorithmPolicy): AlgorithmVerdict {
  if (alg.toLowerCase() === 'none') return { allowed: false, reason: `'${alg}' means no signature at all, and is never allowed (RFC 8725 3.2)` };
  if (alg === 'RSA1_5') return { allowed: false, reason: "'RSA1_5' (RSAES-PKCS1-v1_5) is open to padding-oracle attacks and is never allowed (RFC 8725 3.2); use RSA-OAEP-256" };
  if (policy.deny.includes(alg)) return { allowed: false, reason: `'${alg}' is in algorithms.deny` };
  if (!policy.allow.includes(alg)) return { allowed: false, reason: `'${alg}' is not in algorithms.allow ${bracketList(policy.allow)}` };
  return { allowed: true };
}

/** The key an algorithm needs: its type, and for EC/OKP the curves it may use. */
export interface KeyRequirement {
  keyTypes: string[];
  curves?: string[];
  /** Minimum key size for HMAC keys, in bits: the hash's (RFC 7518 3.2). */
  minBits?: number;
  /** The one key size an AES algorithm takes, in bits (RFC 7518 4.4, 4.7, 5.2, 5.3). */
  exactBits?: number;
}

/** ML-DSA's signature size at each parameter set, in bytes (FIPS 204, table 2). */
const ML_DSA_SIGNATURE: Readonly<Record<string, number>> = { 'ML-DSA-44': 2420, 'ML-DSA-65': 3309, 'ML-DSA-87': 4627 };

/** The curve each ECDSA algorithm signs on (RFC 7518 3.4, RFC 8812). */
export const EC_CURVE: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', ES256K: 'secp256k1' };

/** The algorithms jwt-guard signs with (through jose): ES256K and Ed448 are not among jose's. */
export const MINT_ALGORITHMS: ReadonlySet<string> = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);

export function keyRequirement(alg: string): KeyRequirement | undefined {
  if (/^(RS|PS)(256|384|512)$/.test(alg) || alg.startsWith('RSA-OAEP') || alg === 'RSA1_5') return { keyTypes: ['RSA', 'RSA-PSS'] };
  if (EC_CURVE[alg]) return { keyTypes: ['EC'], curves: [EC_CURVE[alg]!] };
  if (alg === 'EdDSA') return { keyTypes: ['Ed25519', 'Ed448'] };
  if (alg === 'Ed25519' || alg === 'Ed448') return { keyTypes: [alg] };
  if (ML_DSA_SIGNATURE[alg]) return { keyTypes: ['AKP'] };
  if (alg.startsWith('ECDH-ES')) return { keyTypes: ['EC', 'X25519', 'X448'], curves: ['P-256', 'P-384', 'P-521', 'X25519', 'X448'] };
  const hmac = /^HS(256|384|512)$/.exec(alg);
  if (hmac) return { keyTypes: ['oct'], minBits: Number(hmac[1]) };
  // AES: key wrap, GCM key wrap and GCM take a key of the size they name; CBC-HMAC takes both halves (A128CBC-HS256: 256 bits).
  const aes = /^A(128|192|256)(?:GCM)?(?:KW)?$/.exec(alg);
  if (aes) return { keyTypes: ['oct'], exactBits: Number(aes[1]) };
  const cbc = /^A(128|192|256)CBC-HS(256|384|512)$/.exec(alg);
  if (cbc && Number(cbc[1]) * 2 === Number(cbc[2])) return { keyTypes: ['oct'], exactBits: Number(cbc[2]) };
  if (alg === 'dir' || alg.startsWith('PBES2-')) return { keyTypes: ['oct'] };
  return undefined;
}

/**
 * The lengths, in bytes, a JWS signature made with `alg` can have (RFC 7518 3.2-3.5, RFC
 * 8037): HMAC's hash size, ECDSA's two curve-size integers, EdDSA's 64 or 114 bytes, an
 * RSA modulus (512 to 16384 bits), ML-DSA's fixed sizes; undefined for an algorithm jwt-guard does not know.
 */
export function signatureLengths(alg: string): readonly number[] | { min: number; max: number } | undefined {
  const hmac = /^HS(256|384|512)$/.exec(alg);
  if (hmac) return [Number(hmac[1]) / 8];
  const ecdsa: Record<string, number> = { ES256: 64, ES384: 96, ES512: 132, ES256K: 64 };
  if (ecdsa[alg]) return [ecdsa[alg]];
  if (alg === 'EdDSA') return [64, 114];
  if (alg === 'Ed25519') return [64];
  if (alg === 'Ed448') return [114];
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return { min: 64, max: 2048 };
  if (ML_DSA_SIGNATURE[alg]) return [ML_DSA_SIGNATURE[alg]];
  return undefined;
}

/** The IV and authentication-tag lengths, in bytes, a JWE's `enc` takes (RFC 7518 5.2, 5.3). */
export function contentEncryptionLengths(enc: string): { iv: number; tag: number } | undefined {
  if (/^A(128|192|256)GCM$/.test(enc)) return { iv: 12, tag: 16 };
  const cbc = /^A(128|192|256)CBC-HS(256|384|512)$/.exec(enc);
  return cbc ? { iv: 16, tag: Number(cbc[1]) / 8 } : undefined;
}
