import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { UserError } from '../errors.js';
import type { Policy } from '../policy/types.js';
import { EC_CURVE, judgeAlgorithm, MINT_ALGORITHMS } from '../jose/algorithms.js';

/** A new key pair for `alg` that meets the policy (RSA at least 3072 bits, or the policy's minimum if higher). */
export function generateSigningKey(alg: string, policy: Policy): KeyObject {
  const verdict = judgeAlgorithm(alg, policy.algorithms);
  if (!verdict.allowed) throw new UserError('ERR_KEYGEN', `cannot make a key for ${alg}: ${verdict.reason}`);
  const curve = MINT_ALGORITHMS.has(alg) ? EC_CURVE[alg] : undefined;
  if (curve) {
    if (!policy.keys.curves.includes(curve)) throw new UserError('ERR_KEYGEN', `cannot make a key for ${alg}: curve ${curve} is not in keys.curves`);
    return generateKeyPairSync('ec', { namedCurve: curve }).privateKey;
  }
  if (alg === 'EdDSA' || alg === 'Ed25519') return generateKeyPairSync('ed25519').privateKey;
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return generateKeyPairSync('rsa', { modulusLength: Math.max(3072, policy.keys.minRsaBits) }).privateKey;
  throw new UserError('ERR_KEYGEN', `cannot make a key for ${alg}: keygen makes signing keys for ES256/384/512, EdDSA and RS/PS 256-512`);
}
