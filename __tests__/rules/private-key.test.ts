import { describe, expect, it } from '@jest/globals';
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { couldBeGuessed, symmetricKeyDigest } from '../../src/analyze/symmetric.js';
import * as k from '../helpers/keys.js';
import { findingsIn as allFindingsIn } from '../helpers/scan.js';

/** This file pins private-key alone; weak keys also get weak-key findings (tested in weak-key.test.ts). */
const findingsIn = async (...args: Parameters<typeof allFindingsIn>) => (await allFindingsIn(...args)).filter((f) => f.ruleId === 'private-key');

const rsa = k.keyPair({ type: 'rsa', bits: 2048 }).privateKey;
const ec = k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey;
const ec384 = k.keyPair({ type: 'ec', curve: 'P-384' }).privateKey;
const ed = k.keyPair({ type: 'ed25519' }).privateKey;
const ed448 = k.keyPair({ type: 'ed448' }).privateKey;
const dsa = k.keyPair({ type: 'dsa', bits: 2048 }).privateKey;
const k1 = k.keyPair({ type: 'ec', curve: 'secp256k1' }).privateKey;

/** What a finding must say about the key, never the key itself. */
interface Expected {
  keyType: string;
  bits?: number;
  curve?: string;
  encrypted?: boolean;
  encoding: string;
  severity?: 'error' | 'warning' | 'note';
}

const indent = (text: string, by: string) => text.trimEnd().split('\n').map((l) => by + l).join('\n');
const concatenated = (pem: string, quote = '"', op = ' +') =>
  pem.trimEnd().split('\n').map((l, i, all) => `  ${quote}${l}\\n${quote}${i < all.length - 1 ? op : ';'}`).join('\n');

const invalid: Array<[string, () => string, Expected]> = [
  ['PKCS#1 RSA', () => k.pkcs1(rsa), { keyType: 'RSA', bits: 2048, encoding: 'pkcs1' }],
  ['PKCS#8 RSA', () => k.pkcs8(rsa), { keyType: 'RSA', bits: 2048, encoding: 'pkcs8' }],
  ['SEC1 EC P-256', () => k.sec1(ec), { keyType: 'EC', curve: 'P-256', encoding: 'sec1' }],
  ['PKCS#8 EC P-384', () => k.pkcs8(ec384), { keyType: 'EC', curve: 'P-384', encoding: 'pkcs8' }],
  ['PKCS#8 secp256k1', () => k.pkcs8(k1), { keyType: 'EC', curve: 'secp256k1', encoding: 'pkcs8' }],
  ['PKCS#8 Ed25519', () => k.pkcs8(ed), { keyType: 'Ed25519', encoding: 'pkcs8' }],
  ['PKCS#8 Ed448', () => k.pkcs8(ed448), { keyType: 'Ed448', encoding: 'pkcs8' }],
  ['PKCS#8 DSA', () => k.pkcs8(dsa), { keyType: 'DSA', bits: 2048, encoding: 'pkcs8' }],
  ['traditional DSA PEM', () => k.traditionalDsa(dsa), { keyType: 'DSA', bits: 2048, encoding: 'dsa' }],
  ['encrypted PKCS#8', () => k.encryptedPkcs8(rsa), { keyType: 'unknown', encrypted: true, encoding: 'pkcs8-encrypted', severity: 'warning' }],
  ['Proc-Type: 4,ENCRYPTED PKCS#1', () => k.procTypeEncrypted(rsa), { keyType: 'RSA', encrypted: true, encoding: 'pem-encrypted', severity: 'warning' }],
  ['OpenSSH Ed25519', () => k.openssh(ed), { keyType: 'Ed25519', encoding: 'openssh' }],
  ['OpenSSH RSA', () => k.openssh(rsa), { keyType: 'RSA', bits: 2048, encoding: 'openssh' }],
  ['OpenSSH ECDSA', () => k.openssh(ec), { keyType: 'EC', curve: 'P-256', encoding: 'openssh' }],
  ['OpenSSH encrypted', () => k.openssh(ed, { encrypted: true }), { keyType: 'Ed25519', encrypted: true, encoding: 'openssh', severity: 'warning' }],
  ['PuTTY v2 RSA', () => k.ppk(rsa, { version: 2 }), { keyType: 'RSA', bits: 2048, encoding: 'ppk' }],
  ['PuTTY v3 Ed25519', () => k.ppk(ed, { version: 3 }), { keyType: 'Ed25519', encoding: 'ppk' }],
  ['PuTTY v3 encrypted', () => k.ppk(ec, { version: 3, encrypted: true }), { keyType: 'EC', curve: 'P-256', encrypted: true, encoding: 'ppk', severity: 'warning' }],
  ['PGP private key block', () => k.pgpPrivateKey(rsa).armored, { keyType: 'RSA', bits: 2048, encoding: 'pgp' }],
  ['PGP protected private key block', () => k.pgpPrivateKey(rsa, { encrypted: true }).armored, { keyType: 'RSA', bits: 2048, encrypted: true, encoding: 'pgp', severity: 'warning' }],
  ['RSA JWK', () => JSON.stringify(k.jwk(rsa)), { keyType: 'RSA', bits: 2048, encoding: 'jwk' }],
  ['EC JWK', () => JSON.stringify(k.jwk(ec)), { keyType: 'EC', curve: 'P-256', encoding: 'jwk' }],
  ['OKP JWK', () => JSON.stringify(k.jwk(ed)), { keyType: 'Ed25519', encoding: 'jwk' }],
  ['oct JWK', () => JSON.stringify({ kty: 'oct', k: randomBytes(32).toString('base64url'), alg: 'HS256' }), { keyType: 'oct', bits: 256, encoding: 'jwk' }],
  ['RSA JWK without CRT members (RFC 7518 6.3.2)', () => {
    const { p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = k.jwk(rsa);
    return JSON.stringify(rest);
  }, { keyType: 'RSA', bits: 2048, encoding: 'jwk' }],
  ['JWK as a JavaScript object literal', () => `const key = { kty: 'EC', crv: 'P-256', x: '${k.jwk(ec).x}', y: '${k.jwk(ec).y}', d: '${k.jwk(ec).d}', };`, { keyType: 'EC', curve: 'P-256', encoding: 'jwk' }],
  ['JWK as a Python dict', () => `KEY = {'kty': 'OKP', 'crv': 'Ed25519', 'x': '${k.jwk(ed).x}', 'd': '${k.jwk(ed).d}'}`, { keyType: 'Ed25519', encoding: 'jwk' }],
  ['JWK escaped inside a JSON string', () => JSON.stringify({ env: JSON.stringify(k.jwk(ec)) }), { keyType: 'EC', curve: 'P-256', encoding: 'jwk' }],
  ['PEM \\n-escaped in JSON', () => JSON.stringify({ private_key: k.pkcs8(rsa) }), { keyType: 'RSA', bits: 2048, encoding: 'pkcs8' }],
  ['PEM double-escaped in JSON', () => JSON.stringify({ outer: JSON.stringify({ private_key: k.pkcs8(ec) }) }), { keyType: 'EC', curve: 'P-256', encoding: 'pkcs8' }],
  ['PEM in a .env value', () => `PORT=3000\nSIGNING_KEY="${k.pkcs8(ed).trimEnd().replace(/\n/g, '\\n')}"\n`, { keyType: 'Ed25519', encoding: 'pkcs8' }],
  ['PEM in a YAML block scalar', () => `jwt:\n  key: |\n${indent(k.pkcs1(rsa), '    ')}\n  alg: RS256\n`, { keyType: 'RSA', bits: 2048, encoding: 'pkcs1' }],
  ['PEM in concatenated JavaScript strings', () => `const key =\n${concatenated(k.pkcs8(ec))}\n`, { keyType: 'EC', curve: 'P-256', encoding: 'pkcs8' }],
  ['PEM in concatenated Python strings', () => `KEY = (\n${k.sec1(ec).trimEnd().split('\n').map((l) => `    b"${l}\\n"`).join('\n')}\n)\n`, { keyType: 'EC', curve: 'P-256', encoding: 'sec1' }],
  ['PEM in a Java text block', () => `String key = """\n${indent(k.pkcs8(rsa), '    ')}\n    """;`, { keyType: 'RSA', bits: 2048, encoding: 'pkcs8' }],
  ['PEM with CRLF line endings', () => k.pkcs1(rsa).replace(/\n/g, '\r\n'), { keyType: 'RSA', bits: 2048, encoding: 'pkcs1' }],
  ['PEM in a commented-out block', () => k.sec1(ec).trimEnd().split('\n').map((l) => `# ${l}`).join('\n'), { keyType: 'EC', curve: 'P-256', encoding: 'sec1' }],
  ['a label no tool writes, over SEC1 (ECDSA PRIVATE KEY)', () => k.sec1(ec).replace(/EC PRIVATE KEY/g, 'ECDSA PRIVATE KEY'), { keyType: 'EC', curve: 'P-256', encoding: 'sec1' }],
  ['a label no tool writes, over PKCS#8', () => k.pkcs8(ec384).replace(/ PRIVATE KEY/g, ' ECDSA PRIVATE KEY'), { keyType: 'EC', curve: 'P-384', encoding: 'pkcs8' }],
  ['a vendor label over PKCS#1', () => k.pkcs1(rsa).replace(/RSA PRIVATE KEY/g, 'RSA2048 PRIVATE KEY'), { keyType: 'RSA', bits: 2048, encoding: 'pkcs1' }],
  ['an ED25519 PRIVATE KEY label over PKCS#8', () => k.pkcs8(ed).replace(/ PRIVATE KEY/g, ' ED25519 PRIVATE KEY'), { keyType: 'Ed25519', encoding: 'pkcs8' }],
  ["a secp256k1 JWK under its draft name 'P-256K'", () => JSON.stringify({ ...k.jwk(k1), crv: 'P-256K' }), { keyType: 'EC', curve: 'secp256k1', encoding: 'jwk' }],
  ['PEM in an XML element with entity line breaks', () => `<key>${k.pkcs8(ed).trimEnd().replace(/\n/g, '&#10;')}</key>`, { keyType: 'Ed25519', encoding: 'pkcs8' }],
];

describe('private-key: every encoding is found and described', () => {
  it.each(invalid)('%s', async (_name, make, expected) => {
    const findings = await findingsIn(make());
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding!.ruleId).toBe('private-key');
    expect(finding!.severity).toBe(expected.severity ?? 'error');
    expect(finding!.artifact).toMatchObject({
      keyType: expected.keyType,
      encoding: expected.encoding,
      encrypted: expected.encrypted ?? false,
      confirmed: true,
      ...(expected.bits ? { bits: expected.bits } : {}),
      ...(expected.curve ? { curve: expected.curve } : {}),
    });
    expect(finding!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(finding!.line).toBeGreaterThanOrEqual(1);
  });
});

describe('private-key: keys written by the real tools', () => {
  const ssh = k.hasCommand('ssh-keygen') ? it : it.skip;
  const gpg = k.hasCommand('gpg') ? it : it.skip;
  ssh.each(['ed25519', 'ecdsa', 'rsa'] as const)('ssh-keygen %s, plain and with a passphrase', async (type) => {
    const plain = await findingsIn(k.sshKeygen(type));
    expect(plain).toHaveLength(1);
    expect(plain[0]!.artifact).toMatchObject({ encoding: 'openssh', encrypted: false, confirmed: true });
    expect(plain[0]!.artifact.sshFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const protectedKey = await findingsIn(k.sshKeygen(type, 'a passphrase'));
    expect(protectedKey[0]!.artifact).toMatchObject({ encoding: 'openssh', encrypted: true });
    expect(protectedKey[0]!.severity).toBe('warning');
  });
  gpg('gpg --export-secret-keys', async () => {
    const findings = await findingsIn(k.gpgSecretKey());
    expect(findings).toHaveLength(1);
    expect(findings[0]!.artifact).toMatchObject({ encoding: 'pgp', keyType: 'Ed25519', encrypted: false });
    expect(findings[0]!.artifact.pgpFingerprint).toMatch(/^[0-9A-F]{40}$/);
  });
});

describe('private-key: facts match what the user can compute', () => {
  it('reports the RFC 7638 thumbprint of the public key, the same across encodings', async () => {
    const { calculateJwkThumbprint } = await import('jose');
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = k.jwk(rsa);
    const thumbprint = await calculateJwkThumbprint(pub as never);
    for (const text of [k.pkcs1(rsa), k.openssh(rsa), k.ppk(rsa), k.pgpPrivateKey(rsa).armored, JSON.stringify(k.jwk(rsa))]) {
      const [finding] = await findingsIn(text);
      expect(finding!.artifact.thumbprint).toBe(thumbprint);
      expect(finding!.message).toContain(thumbprint);
    }
  });

  it('reports the OpenPGP v4 fingerprint that gpg shows', async () => {
    const { armored, fingerprint } = k.pgpPrivateKey(rsa);
    const [finding] = await findingsIn(armored);
    expect(finding!.artifact.pgpFingerprint).toBe(fingerprint);
  });

  it('gives an oct key no thumbprint (a fast hash of a weak secret could be reversed)', async () => {
    const [finding] = await findingsIn(JSON.stringify({ kty: 'oct', k: Buffer.from('short-secret').toString('base64url') }));
    expect(finding!.artifact.thumbprint).toBeUndefined();
    expect(finding!.message).toContain('oct 96-bit symmetric key');
  });

  it('fingerprints an oct key by a digest that is stable, distinct per key, and stretched when the secret could be guessed', async () => {
    const random = randomBytes(32);
    const jwk = (bytes: Buffer) => JSON.stringify({ kty: 'oct', k: bytes.toString('base64url') });
    const [a] = await findingsIn(jwk(random));
    const [again] = await findingsIn(jwk(Buffer.from(random)));
    const [other] = await findingsIn(jwk(randomBytes(32)));
    expect(again!.fingerprint).toBe(a!.fingerprint);
    expect(other!.fingerprint).not.toBe(a!.fingerprint);
    // The digest formats are part of every baseline: a change would make accepted findings new again.
    expect(symmetricKeyDigest(random)).toBe(createHash('sha256').update('jwt-guard oct key\0').update(random).digest('hex').slice(0, 32));
    for (const weak of ['correct horse battery staple', 'short', 'a'.repeat(40), '00112233445566778899aabbccddeeff']) {
      const bytes = Buffer.from(weak);
      expect(couldBeGuessed(bytes)).toBe(true);
      expect(symmetricKeyDigest(bytes)).toBe(pbkdf2Sync(bytes, 'jwt-guard oct fingerprint', 10_000, 16, 'sha256').toString('hex'));
    }
    expect(couldBeGuessed(Buffer.alloc(32, 0xa5))).toBe(true);
    expect(couldBeGuessed(randomBytes(12))).toBe(true);
    for (let i = 0; i < 50; i++) expect(couldBeGuessed(randomBytes(32))).toBe(false);
  });

  it('reads PuTTY files whose base64 lines start with +, also inside concatenated strings', async () => {
    let text = '';
    for (let i = 0; i < 200 && !/^\+/m.test(text); i++) text = k.ppk(k.keyPair({ type: 'rsa', bits: 1024 }, true).privateKey, { version: 2 });
    expect(text).toMatch(/^\+/m);
    expect(await findingsIn(text)).toHaveLength(1);
    const quoted = text.trimEnd().split('\n').map((l) => `  "${l}\\n" +`).join('\n');
    expect(await findingsIn(`const ppk =\n${quoted}\n  "";`)).toHaveLength(1);
  });

  it('locates the key: line and column of BEGIN, end line of END', async () => {
    const pem = k.sec1(ec);
    const text = `first line\nsecond: ${pem}after\n`;
    const [finding] = await findingsIn(text);
    expect(finding).toMatchObject({ line: 2, column: 9, endLine: 2 + pem.trimEnd().split('\n').length - 1 });
  });

  it('finds every key of a JWKS and several PEM blocks in one file', async () => {
    const jwks = JSON.stringify({ keys: [k.jwk(rsa), k.jwk(ec), { kty: 'RSA', n: k.jwk(rsa).n, e: 'AQAB' }] }, null, 2);
    expect(await findingsIn(jwks)).toHaveLength(2);
    expect(await findingsIn(`${k.pkcs1(rsa)}\n${k.sec1(ec)}\n${k.pkcs8(ed)}`)).toHaveLength(3);
  });

  it('keeps a fingerprint stable when the key moves to another line, and distinct per path', async () => {
    const pem = k.pkcs8(ed);
    const [a] = await findingsIn(pem);
    const [b] = await findingsIn(`\n\n\nsome text\n${pem}`);
    const [c] = await findingsIn(pem, { path: 'other.pem' });
    expect(b!.line).toBe(5);
    expect(a!.fingerprint).toBe(b!.fingerprint);
    expect(c!.fingerprint).not.toBe(a!.fingerprint);
  });

  it('reports a full-size key body that no parser accepts, one level lower and saying so', async () => {
    const body = randomBytes(600).toString('base64').replace(/.{1,64}/g, '$&\n');
    const [finding] = await findingsIn(`-----BEGIN RSA PRIVATE KEY-----\n${body}-----END RSA PRIVATE KEY-----\n`);
    expect(finding).toMatchObject({ severity: 'warning', artifact: { confirmed: false } });
    expect(finding!.message).toMatch(/could not be confirmed/);
  });

  it('reports a private JWK on a curve node cannot read (BP-256) by its members, one level lower, never ignoring it', async () => {
    const jwk = { kty: 'EC', crv: 'BP-256', x: randomBytes(32).toString('base64url'), y: randomBytes(32).toString('base64url'), d: randomBytes(32).toString('base64url') };
    const [finding] = await findingsIn(JSON.stringify(jwk));
    expect(finding).toMatchObject({ severity: 'warning', artifact: { keyType: 'EC', curve: 'BP-256', encoding: 'jwk', confirmed: false } });
    expect(finding!.message).toMatch(/^EC BP-256 private key \(JWK\)/);
    expect(finding!.message).not.toContain(jwk.d);
    // placeholders stay placeholders on any curve
    expect(await findingsIn(JSON.stringify({ ...jwk, d: 'xxxxxxxxxxxxxxxxxxxxxxxx' }))).toEqual([]);
  });

  it.each([
    ['a character lost', (b: string) => b.slice(0, 200) + b.slice(201)],
    ['a character added', (b: string) => `${b.slice(0, 200)}Q${b.slice(200)}`],
    ['a line end cut short', (b: string) => b.replace(/^(.{61}).{3}$/m, '$1')],
  ])('reports a full-size key body damaged in a copy (%s), one level lower and saying so', async (_name, damage) => {
    const pem = k.pkcs1(rsa);
    const [begin, ...rest] = pem.trimEnd().split('\n');
    const end = rest.pop()!;
    const damaged = `${begin}\n${damage(rest.join('\n'))}\n${end}\n`;
    const findings = await findingsIn(damaged);
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', artifact: expect.objectContaining({ keyType: 'RSA', encoding: 'pkcs1', confirmed: false }) })]);
    expect(findings[0]!.message).toMatch(/could not be confirmed by parsing, so it may be damaged/);
  });
});

/** Look-alikes that other scanners flag and jwt-guard must not. */
const valid: Array<[string, () => string]> = [
  ['an elided placeholder', () => '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END PRIVATE KEY-----\n'],
  ['a prose placeholder', () => '-----BEGIN RSA PRIVATE KEY-----\n<your private key here>\n-----END RSA PRIVATE KEY-----'],
  ['a template variable', () => 'key: "-----BEGIN PRIVATE KEY-----\\n${SIGNING_KEY}\\n-----END PRIVATE KEY-----"'],
  ['code that wraps a variable in PEM armour', () => 'const pem = "-----BEGIN PRIVATE KEY-----\\n" + base64 + "\\n-----END PRIVATE KEY-----\\n";'],
  ['code that builds the header from a type', () => "const header = `-----BEGIN ${type} PRIVATE KEY-----`;\nconst footer = '-----END ' + type + ' PRIVATE KEY-----';"],
  ['a truncated example with no END', () => k.pkcs8(rsa).split('\n').slice(0, 6).join('\n')],
  ['a key body with one line cut out', () => { const lines = k.pkcs8(ed).split('\n'); return [lines[0], lines[2], lines[3]].join('\n'); }],
  ['a public key', () => k.keyPair({ type: 'rsa', bits: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string],
  ['a public JWK', () => JSON.stringify({ kty: 'EC', crv: 'P-256', x: k.jwk(ec).x, y: k.jwk(ec).y })],
  ['a JWK with placeholder members', () => JSON.stringify({ kty: 'RSA', n: '...', e: 'AQAB', d: '...' })],
  ['an oct JWK with a placeholder k', () => JSON.stringify({ kty: 'oct', k: 'xxxxxxxxxxxxxxxx' })],
  ['an RSA JWK whose d is not a plausible exponent', () => JSON.stringify({ kty: 'RSA', n: k.jwk(rsa).n, e: 'AQAB', d: 'c2VjcmV0' })],
  ['documentation about PuTTY files', () => 'A .ppk starts with "PuTTY-User-Key-File-3: ssh-ed25519" and ends with Private-MAC: <hex>.'],
  ['a documentation sample with EXAMPLE spliced into the body', () => `"privateKey": "${k.pkcs1(rsa).replace(/(-----\n).{8}/, '$1EXAMPLEB').replace(/\n/g, '\\n')}"`],
  ['a short body that decodes to nothing', () => '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----'],
  ['an OpenSSH key block that is not openssh-key-v1', () => `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.alloc(300, 7).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----`],
  ['a filler body of odd length', () => `-----BEGIN RSA PRIVATE KEY-----\n${'A'.repeat(301)}\n-----END RSA PRIVATE KEY-----`],
  ['a damaged body too short to be a key', () => `-----BEGIN EC PRIVATE KEY-----\n${randomBytes(90).toString('base64').slice(1)}\n-----END EC PRIVATE KEY-----`],
  ['the word kty in prose', () => 'Set the {kty} member to "RSA" and {kty: whatever} is not JSON.'],
];

describe('private-key: look-alikes stay quiet', () => {
  it.each(valid)('%s', async (_name, make) => {
    expect(await findingsIn(make())).toEqual([]);
  });
});

describe('private-key: policy', () => {
  it('follows the rule severity and the encryptedSeverity option', async () => {
    const policy = { rules: { 'private-key': { severity: 'warning' as const, encryptedSeverity: 'off' as const } } };
    expect((await findingsIn(k.pkcs1(rsa), { policy }))[0]!.severity).toBe('warning');
    expect(await findingsIn(k.encryptedPkcs8(rsa), { policy })).toEqual([]);
  });

  it('is silent when off', async () => {
    expect(await findingsIn(k.pkcs1(rsa), { policy: { rules: { 'private-key': 'off' } } })).toEqual([]);
  });

  it('makes encrypted keys errors in the strict preset', async () => {
    expect((await findingsIn(k.encryptedPkcs8(rsa), { policy: { extends: 'strict' } }))[0]!.severity).toBe('error');
  });
});
