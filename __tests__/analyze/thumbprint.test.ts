/**
 * Key thumbprints are part of every key finding's identity (fingerprints, baselines, trusted
 * keys): the synchronous RFC 7638 thumbprint must be jose's, byte for byte, for every key type.
 */
import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { jwkThumbprint } from '../../src/analyze/thumbprint.js';

const publicJwk = (type: string, options: object = {}) => {
  const { publicKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string }) as unknown as { publicKey: KeyObject };
  return publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
};

describe('jwkThumbprint', () => {
  it("is jose's calculateJwkThumbprint for every key type", async () => {
    const keys: Array<Record<string, unknown>> = [
      ...['P-256', 'P-384', 'P-521', 'secp256k1'].map((namedCurve) => publicJwk('ec', { namedCurve })),
      ...['ed25519', 'ed448', 'x25519', 'x448'].map((type) => publicJwk(type)),
      publicJwk('rsa', { modulusLength: 1024 }),
      { kty: 'oct', k: randomBytes(32).toString('base64url') },
      { kty: 'oct', k: '' },
      // ML-DSA (AKP): jose hashes the members without reading the key, so any well-formed value serves.
      { kty: 'AKP', alg: 'ML-DSA-44', pub: randomBytes(1312).toString('base64url') },
      // Members beyond the required ones, and in another order, change nothing.
      { y: 'eQ', x: 'eA', kid: 'k1', use: 'sig', crv: 'P-256', kty: 'EC' },
      { kty: 'EC', crv: 'P-256', x: 'a"b\\c\u007f', y: 'y' },
    ];
    for (const jwk of keys) expect({ kty: jwk.kty, thumbprint: jwkThumbprint(jwk) }).toEqual({ kty: jwk.kty, thumbprint: await calculateJwkThumbprint(jwk as JWK) });
  });

  it('on any strings as members', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('EC', 'OKP', 'RSA', 'oct', 'AKP'), fc.dictionary(fc.constantFrom('crv', 'x', 'y', 'e', 'n', 'k', 'alg', 'pub', 'd'), fc.oneof(fc.string({ minLength: 1 }), fc.string({ unit: 'binary' }), fc.constant(''))), async (kty, members) => {
        const jwk = { ...members, kty };
        const mine = jwkThumbprint(jwk);
        let theirs: string | undefined;
        try {
          theirs = await calculateJwkThumbprint(jwk as JWK);
        } catch {
          theirs = undefined;
        }
        expect(mine).toBe(theirs);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves to jose what it does not know how to hash', () => {
    expect(jwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'eA' })).toBeUndefined();
    expect(jwkThumbprint({ kty: 'EC', crv: 'P-256', x: '', y: 'eQ' })).toBeUndefined();
    expect(jwkThumbprint({ kty: 'DSA', p: 'AQ' })).toBeUndefined();
    expect(jwkThumbprint({ crv: 'Ed25519', x: 'eA' })).toBeUndefined();
    // Not ASCII: jose refuses it, and the caller's fallback must see jose's refusal.
    expect(jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: 'e\u00e9' })).toBeUndefined();
  });
});
