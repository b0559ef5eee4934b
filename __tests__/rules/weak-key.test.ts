import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { renderSarif } from '../../src/report/sarif.js';
import * as k from '../helpers/keys.js';
import { findingsIn } from '../helpers/scan.js';
import type { PolicyDocument } from '../../src/policy/types.js';

const weak = async (text: string, policy?: PolicyDocument) => (await findingsIn(text, policy ? { policy } : {})).filter((f) => f.ruleId === 'weak-key');
const pair = (spec: k.KeySpec) => k.keyPair(spec);
const oct = (bytes: number, alg?: string) => JSON.stringify({ kty: 'oct', k: randomBytes(bytes).toString('base64url'), ...(alg ? { alg } : {}) });
const publicJwk = (key: KeyObject, extra: Record<string, string> = {}) => JSON.stringify({ ...k.jwk(key), ...extra });

/** [name, text, expected weak-key message part or null when the key is strong enough] */
const cases: Array<[string, () => string, string | null]> = [
  ['RSA 1024 public key (SPKI PEM)', () => k.spki(pair({ type: 'rsa', bits: 1024 }).publicKey), 'its 1024-bit modulus is below keys.minRsaBits (2048)'],
  ['RSA 2047 public key (PKCS#1 PEM)', () => pair({ type: 'rsa', bits: 2047 }).publicKey.export({ type: 'pkcs1', format: 'pem' }) as string, 'its 2047-bit modulus'],
  ['RSA 2048 public key', () => k.spki(pair({ type: 'rsa', bits: 2048 }).publicKey), null],
  ['RSA 3072 public key', () => k.spki(pair({ type: 'rsa', bits: 3072 }).publicKey), null],
  ['RSA 1024 certificate', () => k.certificate(pair({ type: 'rsa', bits: 1024 }).privateKey), 'has a weak key, RSA 1024-bit public key (X.509 certificate, thumbprint'],
  ['RSA 2048 certificate', () => k.certificate(pair({ type: 'rsa', bits: 2048 }).privateKey), null],
  ['RSA 1024 authorized_keys line', () => k.sshPublicLine(pair({ type: 'rsa', bits: 1024 }).privateKey), 'OpenSSH public key'],
  ['RSA 2047 public JWK', () => publicJwk(pair({ type: 'rsa', bits: 2047 }).publicKey), 'its 2047-bit modulus'],
  ['P-256 public key', () => k.spki(pair({ type: 'ec', curve: 'P-256' }).publicKey), null],
  ['P-384 certificate', () => k.certificate(pair({ type: 'ec', curve: 'P-384' }).privateKey), null],
  ['P-521 public JWK', () => publicJwk(pair({ type: 'ec', curve: 'P-521' }).publicKey), null],
  ['secp256k1 public key', () => k.spki(pair({ type: 'ec', curve: 'secp256k1' }).publicKey), 'curve secp256k1 is not in keys.curves'],
  ['Ed25519 authorized_keys line', () => k.sshPublicLine(pair({ type: 'ed25519' }).privateKey), null],
  ['Ed448 public key', () => k.spki(pair({ type: 'ed448' }).publicKey), null],
  ['X25519 public JWK', () => JSON.stringify(generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' })), null],
  ['DSA 2048 public key', () => k.spki(pair({ type: 'dsa', bits: 2048 }).publicKey), 'DSA is weak at any size'],
  ['DSA 2048 private key', () => k.pkcs8(pair({ type: 'dsa', bits: 2048 }).privateKey), 'DSA is weak at any size'],
  ['HMAC key of 31 bytes', () => oct(31), 'its 248 bits are fewer than 256 (keys.minHmacBits)'],
  ['HMAC key of 32 bytes', () => oct(32), null],
  ['HS256 key of 32 bytes', () => oct(32, 'HS256'), null],
  ['HS384 key of 32 bytes', () => oct(32, 'HS384'), 'its 256 bits are fewer than 384 (HS384 needs a key at least as long as its hash (RFC 7518 3.2))'],
  ['HS384 key of 48 bytes', () => oct(48, 'HS384'), null],
  ['HS512 key of 48 bytes', () => oct(48, 'HS512'), 'fewer than 512'],
  ['HS512 key of 64 bytes', () => oct(64, 'HS512'), null],
  ['ES256 on a P-384 key', () => publicJwk(pair({ type: 'ec', curve: 'P-384' }).publicKey, { alg: 'ES256' }), 'its alg ES256 needs curve P-256, not P-384'],
  ['RS256 on an EC key', () => publicJwk(pair({ type: 'ec', curve: 'P-256' }).publicKey, { alg: 'RS256' }), 'its alg RS256 needs one of RSA, RSA-PSS key'],
  ['HS256 on an RSA key', () => publicJwk(pair({ type: 'rsa', bits: 2048 }).publicKey, { alg: 'HS256' }), 'its alg HS256 needs a oct key'],
  ['ES256 on a P-256 key', () => publicJwk(pair({ type: 'ec', curve: 'P-256' }).publicKey, { alg: 'ES256' }), null],
  ['EdDSA on an Ed25519 key', () => publicJwk(pair({ type: 'ed25519' }).publicKey, { alg: 'EdDSA' }), null],
  ['RSA-OAEP-256 on an RSA key', () => publicJwk(pair({ type: 'rsa', bits: 2048 }).publicKey, { alg: 'RSA-OAEP-256' }), null],
];

describe('weak-key: boundary sizes, curves and algorithm fit', () => {
  it.each(cases)('%s', async (_name, make, expected) => {
    const findings = await weak(make());
    if (expected === null) {
      expect(findings).toEqual([]);
    } else {
      expect(findings).toHaveLength(1);
      expect(findings[0]!.message).toContain(expected);
      // a certificate is published material: a note (see below); every key is an error
      expect(findings[0]!.severity).toBe(expected.startsWith('has a weak key') ? 'note' : 'error');
    }
  });
});

describe('weak-key on certificates', () => {
  it("a vendor's published certificate with a weak key is a note that names it; its private key, if committed, is still an error", async () => {
    const { privateKey } = pair({ type: 'rsa', bits: 1024 });
    const [finding] = await weak(k.certificate(privateKey, '/O=Example Vendor/CN=sns.example-vendor.test'));
    expect(finding).toMatchObject({ severity: 'note', messageId: 'weakCertificate' });
    expect(finding!.message).toMatch(/^The certificate for O=Example Vendor, CN=sns\.example-vendor\.test \(issued by O=Example Vendor, CN=sns\.example-vendor\.test\) has a weak key, RSA 1024-bit public key/);
    expect(await weak(k.pkcs8(privateKey))).toEqual([expect.objectContaining({ severity: 'error', messageId: 'weak' })]);
  });
});

describe('weak-key: policy knobs', () => {
  it('keys.minRsaBits, and strict asks 3072', async () => {
    const rsa2048 = k.spki(pair({ type: 'rsa', bits: 2048 }).publicKey);
    const rsa3072 = k.spki(pair({ type: 'rsa', bits: 3072 }).publicKey);
    expect(await weak(rsa2048, { extends: 'strict' })).toHaveLength(1);
    expect(await weak(rsa3072, { extends: 'strict' })).toEqual([]);
    expect(await weak(rsa3072, { keys: { minRsaBits: 4096 } })).toHaveLength(1);
  });

  it('keys.curves admits secp256k1 when listed, and can refuse P-521', async () => {
    const k1 = k.spki(pair({ type: 'ec', curve: 'secp256k1' }).publicKey);
    expect(await weak(k1, { keys: { curves: ['P-256', 'secp256k1'] } })).toEqual([]);
    const p521 = k.spki(pair({ type: 'ec', curve: 'P-521' }).publicKey);
    expect((await weak(p521, { keys: { curves: ['P-256'] } }))[0]!.message).toContain('curve P-521 is not in keys.curves [P-256]');
  });

  it('keys.minHmacBits', async () => {
    expect(await weak(oct(32), { keys: { minHmacBits: 512 } })).toHaveLength(1);
    expect(await weak(oct(16), { keys: { minHmacBits: 128 } })).toEqual([]);
    // the algorithm's hash still sets the floor
    expect(await weak(oct(16, 'HS256'), { keys: { minHmacBits: 128 } })).toHaveLength(1);
  });

  it('a weak private key gets both private-key and weak-key', async () => {
    const findings = await findingsIn(k.pkcs1(pair({ type: 'rsa', bits: 1024 }).privateKey));
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['private-key', 'weak-key']);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('is silent when off', async () => {
    expect(await weak(oct(8), { rules: { 'weak-key': 'off' } })).toEqual([]);
  });
});

describe('weak-key in reports', () => {
  it('carries its rule id into SARIF, where the rule says what to do', async () => {
    const findings = await weak(k.spki(pair({ type: 'rsa', bits: 1024 }).publicKey));
    const sarif = JSON.parse(renderSarif({ findings }));
    const [result] = sarif.runs[0].results;
    const rule = sarif.runs[0].tool.driver.rules[result.ruleIndex];
    expect(rule.id).toBe('weak-key');
    expect(rule.help.markdown).toContain('**What to do:**');
    expect(result.properties.artifact).toMatchObject({ keyType: 'RSA', bits: 1024, private: false, thumbprint: expect.any(String) });
  });
});
