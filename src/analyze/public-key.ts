import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { jwkThumbprint } from './thumbprint.js';
import { bitLength, MalformedError, unsigned, WireReader } from './wire.js';

/** Public facts of a key, computed by node:crypto and jose. */
export interface PublicKeyFacts {
  keyType: string;
  bits?: number;
  curve?: string;
  thumbprint?: string;
  thumbprintKind?: 'jwk-sha256' | 'spki-sha256';
}

const CURVE_NAMES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp256k1: 'secp256k1',
};

const KEY_TYPE_NAMES: Record<string, string> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  ec: 'EC',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
  dsa: 'DSA',
  dh: 'DH',
};

/** A post-quantum key's type and parameter set, by its name in any case (`ml-dsa-44`, `ML-KEM-768`): ML-DSA is JOSE's `AKP`. */
export function postQuantumType(name: string): { keyType: string; curve: string } | undefined {
  const match = /^(ML-DSA|ML-KEM|SLH-DSA)-(.+)$/i.exec(name);
  if (!match) return undefined;
  const family = match[1]!.toUpperCase();
  return { keyType: family === 'ML-DSA' ? 'AKP' : family, curve: `${family}-${family === 'SLH-DSA' ? match[2]! : match[2]!.toUpperCase()}` };
}

/** Describes a node:crypto key object (public or private) without exposing private parts. */
export async function describeKeyObject(key: KeyObject): Promise<PublicKeyFacts> {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  const facts: PublicKeyFacts = { keyType: KEY_TYPE_NAMES[type] ?? type };
  if (details.modulusLength) facts.bits = details.modulusLength;
  if (details.namedCurve) facts.curve = CURVE_NAMES[details.namedCurve] ?? details.namedCurve;
  if (type === 'ed25519' || type === 'ed448' || type === 'x25519' || type === 'x448') facts.curve = facts.keyType;
  // Node 24.7+ reads post-quantum keys (`ml-dsa-44`…): named as where it cannot (analyze/post-quantum.ts).
  const postQuantum = postQuantumType(type);
  if (postQuantum) Object.assign(facts, postQuantum);
  try {
    const jwk = publicKey.export({ format: 'jwk' });
    facts.thumbprint = jwkThumbprint(jwk as Record<string, unknown>) ?? (await calculateJwkThumbprint(jwk as Parameters<typeof calculateJwkThumbprint>[0], 'sha256'));
    facts.thumbprintKind = 'jwk-sha256';
  } catch {
    // DSA and DH keys have no JWK form: fall back to a digest of the SubjectPublicKeyInfo.
    facts.thumbprint = createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64url');
    facts.thumbprintKind = 'spki-sha256';
  }
  return facts;
}

/** Builds a public key from JWK components and lets node:crypto validate it. */
export function publicKeyFromJwk(jwk: JsonWebKey): KeyObject {
  return createPublicKey({ key: jwk, format: 'jwk' });
}

const b64u = (value: Buffer) => unsigned(value).toString('base64url');

const SSH_CURVES: Record<string, { crv: string; size: number }> = {
  nistp256: { crv: 'P-256', size: 32 },
  nistp384: { crv: 'P-384', size: 48 },
  nistp521: { crv: 'P-521', size: 66 },
};

/** EC point (0x04 || X || Y) to JWK coordinates. */
export function ecPointToJwk(point: Buffer, crv: string): JsonWebKey {
  const size = Object.values(SSH_CURVES).find((c) => c.crv === crv)?.size ?? (point.length - 1) / 2;
  if (point[0] !== 0x04 || point.length !== 1 + 2 * size) throw new MalformedError(`unsupported EC point encoding for ${crv}`);
  return { kty: 'EC', crv, x: point.subarray(1, 1 + size).toString('base64url'), y: point.subarray(1 + size).toString('base64url') };
}

export interface SshPublicKey {
  /** The SSH key type name, e.g. `ssh-ed25519`. */
  sshType: string;
  facts: PublicKeyFacts;
  /** True when node:crypto accepted the public key. */
  confirmed: boolean;
  /** `SHA256:…` as printed by `ssh-keygen -l`. */
  sshFingerprint: string;
}

/** Parses an SSH public key blob (RFC 4253 6.6, RFC 5656, RFC 8709) and confirms it with node:crypto. */
export async function parseSshPublicKey(blob: Buffer): Promise<SshPublicKey> {
  const reader = new WireReader(blob);
  const sshType = reader.text();
  // ssh-keygen prints the SHA-256 in base64 without its one '=' of padding.
  const sshFingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').slice(0, 43)}`;
  const confirmedBy = async (jwk: JsonWebKey) => ({ sshType, sshFingerprint, confirmed: true, facts: await describeKeyObject(publicKeyFromJwk(jwk)) });
  switch (sshType) {
    case 'ssh-rsa': {
      const e = reader.string();
      const n = reader.string();
      return confirmedBy({ kty: 'RSA', n: b64u(n), e: b64u(e) });
    }
    case 'ssh-ed25519':
    case 'sk-ssh-ed25519@openssh.com': {
      const x = reader.string();
      const result = await confirmedBy({ kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') });
      if (sshType.startsWith('sk-')) result.facts.keyType = 'Ed25519-SK';
      return result;
    }
    case 'ssh-ed448': {
      const x = reader.string();
      return confirmedBy({ kty: 'OKP', crv: 'Ed448', x: x.toString('base64url') });
    }
    case 'ssh-dss': {
      const p = reader.string();
      reader.string(); // q
      reader.string(); // g
      reader.string(); // y
      // node:crypto cannot import DSA from components; report the size and the SSH fingerprint.
      return { sshType, sshFingerprint, confirmed: false, facts: { keyType: 'DSA', bits: bitLength(p) } };
    }
    default: {
      const ecdsa = /^(?:sk-)?ecdsa-sha2-(nistp\d+)(?:@openssh\.com)?$/.exec(sshType);
      const curve = ecdsa ? SSH_CURVES[ecdsa[1]!] : undefined;
      if (!curve) throw new MalformedError(`unsupported SSH key type '${sshType.slice(0, 40)}'`);
      reader.text(); // curve identifier
      const point = reader.string();
      const result = await confirmedBy(ecPointToJwk(point, curve.crv));
      if (sshType.startsWith('sk-')) result.facts.keyType = 'EC-SK';
      return result;
    }
  }
}
