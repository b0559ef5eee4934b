/** Post-quantum private keys (ML-DSA, ML-KEM, SLH-DSA) are private keys, whether or not this runtime reads them. */
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { findingsIn } from '../helpers/scan.js';

const { asn1 } = forge;
const seq = (...members: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, members);
const octets = (bytes: Buffer | forge.asn1.Asn1) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, Buffer.isBuffer(bytes) ? bytes.toString('binary') : asn1.toDer(bytes).getBytes());
const seed = (bytes: Buffer) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, bytes.toString('binary'));

/**
 * A PKCS#8 PrivateKeyInfo for a post-quantum algorithm (RFC 9881's and the ML-KEM draft's
 * forms): the seed alone, `[0] seed`, or both the seed and the expanded key.
 */
function pqPkcs8(oid: string, form: 'seed' | 'both', seedBytes: number, expandedBytes: number): Buffer {
  const key = form === 'seed' ? seed(randomBytes(seedBytes)) : seq(octets(randomBytes(seedBytes)), octets(randomBytes(expandedBytes)));
  const info = seq(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x00'), seq(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes())), octets(key));
  return Buffer.from(asn1.toDer(info).getBytes(), 'binary');
}

const pem = (der: Buffer) => `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
const b64u = (n: number) => randomBytes(n).toString('base64url');

describe('post-quantum PKCS#8 keys', () => {
  it.each<[string, string, 'seed' | 'both', number, number, string]>([
    ['ML-DSA-44, seed only', '2.16.840.1.101.3.4.3.17', 'seed', 32, 0, 'AKP ML-DSA-44'],
    ['ML-DSA-87, seed and expanded key', '2.16.840.1.101.3.4.3.19', 'both', 32, 4896, 'AKP ML-DSA-87'],
    ['ML-KEM-768, seed only', '2.16.840.1.101.3.4.4.2', 'seed', 64, 0, 'ML-KEM ML-KEM-768'],
    ['SLH-DSA-SHA2-128s', '2.16.840.1.101.3.4.3.20', 'both', 32, 64, 'SLH-DSA SLH-DSA-SHA2-128s'],
  ])('reports a %s key as a private key, in PEM and as bare base64, saying how it was recognised', async (_name, oid, form, seedBytes, expandedBytes, described) => {
    const der = pqPkcs8(oid, form, seedBytes, expandedBytes);
    for (const text of [pem(der), `PQ_KEY=${der.toString('base64')}\n`]) {
      const found = await findingsIn(text, { path: 'keys/pq.txt' });
      expect(found).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'error', artifact: expect.objectContaining({ private: true, confirmed: true }) })]);
      expect(found[0]!.message).toMatch(new RegExp(`^${described} private key \\(PKCS#8 (PEM|DER, without PEM armour), recognised by its algorithm identifier`));
    }
  });

  it('stays quiet on a PKCS#8 structure under an OID that is not a known algorithm, without armour', async () => {
    const der = pqPkcs8('1.3.6.1.4.1.99999.1', 'seed', 32, 0);
    expect(await findingsIn(`K=${der.toString('base64')}\n`)).toEqual([]);
  });
});

describe('AKP JWKs', () => {
  it('reports an ML-DSA JWK with priv as a private key, and does not call it weak', async () => {
    const found = await findingsIn(JSON.stringify({ kty: 'AKP', alg: 'ML-DSA-44', kid: 'pq-1', pub: b64u(1312), priv: b64u(32) }, null, 2));
    expect(found).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'error', artifact: expect.objectContaining({ keyType: 'AKP', curve: 'ML-DSA-44', kid: 'pq-1' }) })]);
    expect(found[0]!.message).toContain('recognised by its members');
  });

  it('passes over a public AKP JWK (no priv): no secret, and its alg fits it', async () => {
    expect(await findingsIn(JSON.stringify({ keys: [{ kty: 'AKP', alg: 'ML-DSA-65', pub: b64u(1952) }] }))).toEqual([]);
  });

  it('reports an AKP JWK whose members do not have its algorithm\'s sizes one level lower', async () => {
    const found = await findingsIn(JSON.stringify({ kty: 'AKP', alg: 'ML-DSA-44', pub: b64u(1312), priv: b64u(48) }));
    expect(found).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'warning' })]);
  });

  it('stays quiet on an AKP JWK whose priv is a placeholder', async () => {
    expect(await findingsIn(JSON.stringify({ kty: 'AKP', alg: 'ML-DSA-44', pub: b64u(1312), priv: 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' }))).toEqual([]);
  });
});
