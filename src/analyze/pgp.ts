import { createHash, type JsonWebKey } from 'node:crypto';
import { describeKeyObject, ecPointToJwk, publicKeyFromJwk, type PublicKeyFacts } from './public-key.js';
import { bitLength, MalformedError, WireReader } from './wire.js';

export interface PgpSecretKeyFacts {
  facts: PublicKeyFacts;
  encrypted: boolean;
  /** True when node:crypto accepted the public key (RSA, ECDSA on NIST curves, Ed25519). */
  confirmed: boolean;
  pgpFingerprint?: string;
}

const OIDS: Record<string, string> = {
  '2a8648ce3d030107': 'P-256',
  '2b81040022': 'P-384',
  '2b81040023': 'P-521',
  '2b8104000a': 'secp256k1',
  '2b06010401da470f01': 'Ed25519',
  '2b060104019755010501': 'Curve25519',
  '2b2403030208010107': 'brainpoolP256r1',
  '2b240303020801010b': 'brainpoolP384r1',
  '2b240303020801010d': 'brainpoolP512r1',
};

/**
 * Reads the first packet of an OpenPGP transferable secret key (RFC 9580 5.5) far enough
 * to name the key: its algorithm, size and whether the secret part is protected. The
 * public parameters go to node:crypto where it can import them.
 */
export async function parsePgpSecretKey(data: Buffer): Promise<PgpSecretKeyFacts> {
  const reader = new WireReader(data);
  const header = reader.u8();
  if ((header & 0x80) === 0) throw new MalformedError('not an OpenPGP packet');
  let tag: number;
  let length: number;
  if (header & 0x40) {
    tag = header & 0x3f;
    const first = reader.u8();
    if (first < 192) length = first;
    else if (first < 224) length = ((first - 192) << 8) + reader.u8() + 192;
    else if (first === 255) length = reader.u32();
    else throw new MalformedError('partial body length in a key packet');
  } else {
    tag = (header >> 2) & 0x0f;
    const type = header & 0x03;
    length = type === 0 ? reader.u8() : type === 1 ? reader.u16() : type === 2 ? reader.u32() : reader.remaining;
  }
  if (tag !== 5) throw new MalformedError(`first packet is tag ${tag}, not a secret key (5)`);
  const packetBody = reader.bytes(Math.min(length, reader.remaining));
  const body = new WireReader(packetBody);
  const version = body.u8();
  if (version !== 4 && version !== 5 && version !== 6) throw new MalformedError(`unsupported key packet version ${version}`);
  body.u32(); // creation time
  const algorithm = body.u8();
  if (version !== 4) body.u32(); // length of public key material
  let facts: PublicKeyFacts;
  let jwk: JsonWebKey | undefined;
  const oid = () => {
    const len = body.u8();
    return OIDS[body.bytes(len).toString('hex')] ?? 'unknown curve';
  };
  switch (algorithm) {
    case 1:
    case 2:
    case 3: {
      const n = body.mpi();
      const e = body.mpi();
      jwk = { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') };
      facts = { keyType: 'RSA', bits: bitLength(n) };
      break;
    }
    case 16: {
      const p = body.mpi();
      body.mpi();
      body.mpi();
      facts = { keyType: 'ElGamal', bits: bitLength(p) };
      break;
    }
    case 17: {
      const p = body.mpi();
      body.mpi();
      body.mpi();
      body.mpi();
      facts = { keyType: 'DSA', bits: bitLength(p) };
      break;
    }
    case 18:
    case 19:
    case 22: {
      const curve = oid();
      const point = body.mpi();
      if (algorithm === 18) body.bytes(body.u8()); // KDF parameters
      if (algorithm === 22 && curve === 'Ed25519' && point[0] === 0x40) {
        jwk = { kty: 'OKP', crv: 'Ed25519', x: point.subarray(1).toString('base64url') };
      } else if (algorithm === 19 && curve.startsWith('P-')) {
        jwk = ecPointToJwk(point, curve);
      }
      facts = { keyType: algorithm === 18 ? 'ECDH' : algorithm === 19 ? 'EC' : 'Ed25519', curve };
      break;
    }
    case 25:
    case 26:
    case 27:
    case 28: {
      const names = { 25: ['X25519', 32], 26: ['X448', 56], 27: ['Ed25519', 32], 28: ['Ed448', 57] } as const;
      const [name, size] = names[algorithm];
      const x = body.bytes(size);
      jwk = { kty: 'OKP', crv: name, x: x.toString('base64url') };
      facts = { keyType: name, curve: name };
      break;
    }
    default:
      throw new MalformedError(`unknown OpenPGP public key algorithm ${algorithm}`);
  }
  const publicEnd = body.position;
  const usage = body.u8();
  let confirmed = false;
  if (jwk) {
    facts = await describeKeyObject(publicKeyFromJwk(jwk));
    confirmed = true;
  }
  const result: PgpSecretKeyFacts = { facts, encrypted: usage !== 0, confirmed };
  if (version === 4) {
    const publicBody = packetBody.subarray(0, publicEnd);
    const prefix = Buffer.from([0x99, publicBody.length >> 8, publicBody.length & 0xff]);
    result.pgpFingerprint = createHash('sha1').update(prefix).update(publicBody).digest('hex').toUpperCase();
  }
  return result;
}
