/** Keys and tokens committed base64-encoded, found by decoding the run and reported where the run is. */
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { detect } from '../../src/detect/index.js';
import * as k from '../helpers/keys.js';
import { findingsIn } from '../helpers/scan.js';
import { goodClaims, hmac } from '../helpers/tokens.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const pem = () => k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);
const jwkText = (pretty = false) => JSON.stringify(k.jwk(k.keyPair({ type: 'ed25519' }, true).privateKey), null, pretty ? 2 : undefined);

describe('base64-wrapped keys and tokens', () => {
  it.each([
    ['a Kubernetes Secret data value (PEM)', () => `apiVersion: v1\nkind: Secret\ndata:\n  tls.key: ${b64(pem())}\n`, 'private-key', 'pkcs8'],
    ['a *_B64 variable (JWK, pretty-printed)', () => `SIGNING_JWK_B64=${b64(jwkText(true))}\n`, 'private-key', 'jwk'],
    ['a Helm value (compact JWK)', () => `auth:\n  jwk: "${b64(jwkText())}"\n`, 'private-key', 'jwk'],
    ['a data: URI', () => `const key = 'data:application/x-pem-file;base64,${b64(pem())}';`, 'private-key', 'pkcs8'],
    ['a JSON object encoded twice', () => `{"blob": "${b64(b64(jwkText()))}"}`, 'private-key', 'jwk'],
  ])('finds %s, at the encoded run', async (_name, make, ruleId, encoding) => {
    const text = make();
    const found = (await findingsIn(text, { path: 'deploy/values.yaml' })).filter((f) => f.ruleId === ruleId);
    expect(found).toHaveLength(1);
    const [finding] = found;
    expect(finding!.artifact).toMatchObject({ wrapped: 'base64', encoding, confirmed: true });
    expect(finding!.message).toMatch(/^Base64-encoded (EC P-256|Ed25519) private key/);
    const lines = text.split('\n');
    const runLine = lines.findIndex((line) => /[A-Za-z0-9+/]{60}/.test(line)) + 1;
    expect(finding!.line).toBe(runLine);
    expect(finding!.column).toBe(lines[runLine - 1]!.search(/(?:LS0t|ZXlK|ZXdv|eyJ|ewo)[A-Za-z0-9+/]{30}/) + 1);
  });

  it('finds a JWT encoded as a whole, and judges it as a token', async () => {
    const token = await hmac('secret', goodClaims());
    const findings = await findingsIn(`TOKEN_B64=${b64(token)}\n`);
    expect(findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['committed-token', 'weak-secret']));
    expect(findings[0]!.message).toMatch(/^Base64-encoded JWT \(alg HS256/);
    for (const f of findings) expect(f.message).not.toContain(token);
  });

  it.each([
    ['random bytes', () => `img: ${randomBytes(300).toString('base64')}`],
    ['a string that merely decodes to text', () => `note: ${b64('this is only prose, long enough to be a base64 run, and it holds no key at all')}`],
    ['JSON that holds no key', () => `cfg: ${b64(JSON.stringify({ name: 'service', replicas: 3, image: 'registry.example/app:1.2.3' }))}`],
    ['a public key and a certificate', () => `ca.crt: ${b64(k.certificate(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey))}\npub: ${b64(k.spki(k.keyPair({ type: 'ed25519' }).publicKey))}`],
    ['an encoded PEM cut short (no END)', () => `tls.key: ${b64(pem().split('\n').slice(0, 3).join('\n'))}`],
  ])('stays quiet on %s', async (_name, make) => {
    expect((await findingsIn(`${make()}\n`)).filter((f) => f.artifact.wrapped)).toEqual([]);
  });

  it('reads a compact token once, not also as base64', async () => {
    const token = await hmac(randomBytes(32), goodClaims());
    const findings = await findingsIn(`t = "${token}"\n`);
    expect(findings.filter((f) => f.ruleId === 'committed-token')).toHaveLength(1);
    expect(findings.some((f) => f.artifact.wrapped)).toBe(false);
  });

  it('reports base64 past its decoding budget as a gap, never passing over it', () => {
    const huge = `blob: eyJ${'A'.repeat(9 << 20)}\n`;
    const { artifacts, gaps } = detect(huge);
    expect(artifacts).toEqual([]);
    expect(gaps).toEqual([expect.objectContaining({ offset: 6, detail: expect.stringContaining('8 MiB decoding budget') })]);
  });
});

describe('base64 wrapped over lines', () => {
  const wrap = (text: string, width: number, indent = '') => text.match(new RegExp(`.{1,${width}}`, 'g'))!.map((line) => `${indent}${line}`).join('\n');

  it.each([
    ['`base64` output, 76 columns', (b: string) => `${wrap(b, 76)}\n`, 1],
    ['a YAML block scalar, 64 columns, indented', (b: string) => `signing:\n  key: |\n${wrap(b, 64, '    ')}\n`, 3],
    ['CRLF lines, 76 columns', (b: string) => `${wrap(b, 76).replace(/\n/g, '\r\n')}\r\n`, 1],
  ])('finds a base64-encoded PEM key in %s, over all its lines', async (_name, write, line) => {
    const encoded = b64(pem());
    const text = write(encoded);
    const found = (await findingsIn(text, { path: 'deploy/key.b64' })).filter((f) => f.ruleId === 'private-key');
    expect(found).toEqual([expect.objectContaining({ line, endLine: line + Math.ceil(encoded.length / (text.includes('    ') ? 64 : 76)) - 1, artifact: expect.objectContaining({ wrapped: 'base64', encoding: 'pkcs8' }) })]);
  });

  it('finds a PKCS#12 store base64-encoded at 76 columns', async () => {
    const store = k.pkcs12Store(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey, 'changeit', ['-iter', '1']).toString('base64');
    const found = await findingsIn(`keystore: |\n${wrap(store, 76, '  ')}\n`, { path: 'values.yaml' });
    expect(found).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'error', line: 2, artifact: expect.objectContaining({ encoding: 'pkcs12' }) })]);
  });

  it('does not join lines of different widths, and stays quiet on a wrapped certificate', async () => {
    const encoded = b64(pem());
    const ragged = `${encoded.slice(0, 76)}\n${encoded.slice(76, 140)}\n${encoded.slice(140)}\n`;
    expect(await findingsIn(ragged)).toEqual([]);
    const certificate = b64(k.certificate(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey));
    expect(await findingsIn(`${wrap(certificate, 76)}\n`)).toEqual([]);
  });
});
