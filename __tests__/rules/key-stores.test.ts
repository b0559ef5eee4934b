/** Key stores (PKCS#12, JKS, JCEKS) and DER keys without PEM armour, binary or base64, in files, history and text. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { runCli } from '../../src/cli/cli.js';
import { describeKeyObject } from '../../src/analyze/public-key.js';
import { STORE_ITERATIONS } from '../../src/analyze/keystore.js';
import { cliIo } from '../helpers/cli.js';
import { gitRepo } from '../helpers/git.js';
import * as k from '../helpers/keys.js';
import { findingsIn, tempTree } from '../helpers/scan.js';

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  message: string;
  artifact: Record<string, unknown>;
}

async function scanTree(files: Record<string, string | Buffer>, args: string[] = []): Promise<{ findings: JsonFinding[]; output: string }> {
  const tree = tempTree(files);
  try {
    const run = cliIo(tree.dir);
    await runCli(['scan', '--format', 'json', '--fail-on', 'none', ...args], run.handle);
    return { findings: JSON.parse(run.out()).findings, output: run.out() + run.err() };
  } finally {
    tree.cleanup();
  }
}

const rsa = () => k.keyPair({ type: 'rsa', bits: 2048 }).privateKey;
const ec = () => k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey;
const thumbprintOf = async (key: KeyObject) => (await describeKeyObject(key)).thumbprint;
/** One key-derivation iteration: for the tests that are not about the cost of opening a store. */
const FAST = ['-iter', '1'];
const der = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1') => key.export({ format: 'der', type }) as Buffer;

/** Every base64 line of a store or key that an output could leak, and the store itself. */
function expectNoMaterial(output: string, material: Buffer): void {
  const base64 = material.toString('base64');
  for (let i = 0; i + 40 <= base64.length; i += 40) expect(output).not.toContain(base64.slice(i, i + 40));
}

describe('PKCS#12 stores', () => {
  it.each([
    ['the JDK default', 'changeit', []],
    ["Google Cloud's service-account default, legacy encryption", 'notasecret', ['-legacy']],
    ['no password', '', []],
    ['no MAC, the key bag under the password', 'changeit', ['-nomac']],
  ])('reports a store that opens with %s as an error, with its key', async (_name, password, options) => {
    const key = rsa();
    const store = k.pkcs12Store(key, password, options);
    const { findings, output } = await scanTree({ 'certs/server.p12': store });
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'private-key',
        severity: 'error',
        file: 'certs/server.p12',
        line: 1,
        artifact: expect.objectContaining({ type: 'der', encoding: 'pkcs12', keyType: 'RSA', bits: 2048, thumbprint: await thumbprintOf(key), encrypted: false, store: expect.objectContaining({ format: 'PKCS#12', password, privateKeys: 1, certificates: 1 }) }),
      }),
    ]);
    expect(findings[0]!.message).toContain(password === '' ? 'opens without a password' : `opens with '${password}', a well-known default password`);
    expectNoMaterial(output, store);
  });

  it('reports a store whose password is not a well-known one as an encrypted key: a warning', async () => {
    const { findings } = await scanTree({ 'deploy.pfx': k.pkcs12Store(ec(), randomBytes(12).toString('hex'), FAST) });
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'warning', artifact: expect.objectContaining({ encoding: 'pkcs12', encrypted: true, keyType: 'unknown' }) })]);
    expect(findings[0]!.message).toMatch(/^Key store whose contents cannot be seen without its password \(PKCS#12 key store.*An encrypted key store: its password is one more secret/);
  });

  it('judges the key inside an opened store: a 1024-bit RSA key is weak', async () => {
    const { findings } = await scanTree({ 'old.p12': k.pkcs12Store(k.keyPair({ type: 'rsa', bits: 1024 }).privateKey, 'changeit', FAST) });
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['private-key', 'weak-key']);
  });

  it('passes over a store that holds only certificates (a trust store)', async () => {
    expect((await scanTree({ 'truststore.p12': k.pkcs12Store(ec(), 'changeit', ['-nokeys', ...FAST]) })).findings).toEqual([]);
  });

  it('finds a store base64-encoded in a Kubernetes secret, at its line', async () => {
    const store = k.pkcs12Store(ec(), 'changeit', FAST);
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ndata:\n  keystore.p12: ${store.toString('base64')}\n`;
    const found = await findingsIn(yaml, { path: 'k8s/secret.yaml' });
    expect(found).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'error', line: 6, column: 17, artifact: expect.objectContaining({ encoding: 'pkcs12', keyType: 'EC' }) })]);
  });

  it('does not run a key derivation a hostile store asks for: it is reported, unopened, at once', async () => {
    // The store's MAC iteration count rewritten to 2^31 - 1, with forge's own ASN.1 encoder.
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(k.pkcs12Store(ec(), 'changeit').toString('binary')));
    const macData = (asn1.value as forge.asn1.Asn1[])[2]!;
    (macData.value as forge.asn1.Asn1[])[2] = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, '\x7f\xff\xff\xff');
    const hostile = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    const started = Date.now();
    const { findings } = await scanTree({ 'hostile.p12': hostile });
    expect(Date.now() - started).toBeLessThan(20_000); // unbounded, it would run for hours
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'warning', artifact: expect.objectContaining({ encrypted: true, store: expect.objectContaining({ untried: `it asks for ${2 ** 31 - 1} key-derivation iterations` }) }) })]);
    expect(findings[0]!.message).toContain('Not every well-known password was tried');
    expect(2 ** 31 - 1).toBeGreaterThan(STORE_ITERATIONS);
  });

  it('finds a store committed and then deleted, in history', async () => {
    const repo = gitRepo();
    try {
      repo.commit('add the store', { 'src/main/resources/keystore.p12': k.pkcs12Store(rsa(), 'changeit', FAST) });
      repo.commit('remove it', { 'src/main/resources/keystore.p12': null });
      const run = cliIo(repo.dir);
      await runCli(['scan', '--history', '--format', 'json', '--fail-on', 'none'], run.handle);
      expect(JSON.parse(run.out()).findings).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'error', file: 'src/main/resources/keystore.p12', commit: expect.objectContaining({ inHead: false }) })]);
    } finally {
      repo.cleanup();
    }
  });
});

describe('Java key stores', () => {
  // Every store the tests read, written by keytool side by side (a JVM start each).
  const secret = randomBytes(9).toString('hex');
  const specs = {
    JKS: ['JKS', 'changeit'],
    JCEKS: ['JCEKS', 'changeit'],
    PKCS12: ['PKCS12', 'changeit'],
    unknownEc: ['JKS', secret, 'pair', 'EC'],
    secretKey: ['JCEKS', 'changeit', 'secret'],
    trustedJKS: ['JKS', 'changeit', 'trusted'],
    trustedJKSUnknown: ['JKS', secret, 'trusted'],
    trustedJCEKS: ['JCEKS', 'changeit', 'trusted'],
    trustedJCEKSUnknown: ['JCEKS', secret, 'trusted'],
  } as const satisfies Record<string, Parameters<typeof k.javaStore>>;
  const stores: Partial<Record<keyof typeof specs, Buffer>> = {};
  const store = (name: keyof typeof specs) => stores[name]!;
  beforeAll(async () => {
    await Promise.all(Object.entries(specs).map(async ([name, spec]) => (stores[name as keyof typeof specs] = await (k.javaStore as (...args: readonly unknown[]) => Promise<Buffer>)(...spec))));
  }, 60_000);

  it.each(['JKS', 'JCEKS', 'PKCS12'] as const)('reports a %s store that opens with changeit as an error, with its key type, size and certificate', async (type) => {
    const { findings, output } = await scanTree({ 'src/main/resources/keystore': store(type) });
    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'private-key', severity: 'error', artifact: expect.objectContaining({ keyType: 'RSA', bits: 2048, encrypted: false, thumbprint: expect.any(String), store: expect.objectContaining({ password: 'changeit', privateKeys: 1 }) }) }),
    ]);
    expectNoMaterial(output, store(type));
  });

  it('reads a JKS store whose password is unknown as far as it can: an encrypted RSA key, with its certificate\'s thumbprint', async () => {
    const { findings } = await scanTree({ 'release.jks': store('unknownEc') });
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', artifact: expect.objectContaining({ encoding: 'jks', keyType: 'EC', curve: 'P-256', encrypted: true, thumbprint: expect.any(String), store: expect.objectContaining({ privateKeys: 1, certificates: 1 }) }) })]);
    expect(findings[0]!.message).toMatch(/^EC P-256 private key \(Java KeyStore \(JKS\), holding 1 private key, 1 certificate, encrypted/);
  });

  it('reports a JCEKS secret key', async () => {
    const { findings } = await scanTree({ 'secrets.jceks': store('secretKey') });
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'error', message: expect.stringMatching(/^Symmetric key \(Java JCEKS key store, holding 1 secret key\)\. It opens with 'changeit'/) })]);
  });

  it.each(['JKS', 'JCEKS'] as const)('passes over a %s trust store of certificates, opened or not', async (type) => {
    expect((await scanTree({ cacerts: store(`trusted${type}`), 'other-cacerts': store(`trusted${type}Unknown`) })).findings).toEqual([]);
  });

  it('reports a store over the size it opens, unopened, saying why', async () => {
    const jks = store('JKS');
    // The real store's entries with 2 MiB of padding before its digest: the same shape, too large to open.
    const large = Buffer.concat([jks.subarray(0, jks.length - 20), randomBytes(2 << 20), jks.subarray(jks.length - 20)]);
    const { findings } = await scanTree({ 'large.jks': large });
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'warning', message: expect.stringContaining('larger than the 1.0 MB a store is opened up to') })]);
  });

  it('passes over a damaged store: its magic and nothing that parses', async () => {
    const jks = store('JKS');
    const damaged = Buffer.concat([jks.subarray(0, 16), Buffer.alloc(64, 0xff)]);
    const { findings } = await scanTree({ 'damaged.jks': damaged, 'truncated.jks': jks.subarray(0, jks.length - 100) });
    // A damaged store is no confirmed key; a truncated one still shows its entries before the cut, but no digest matches.
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('DER keys without PEM armour', () => {
  it.each([
    ['PKCS#8 RSA', () => der(rsa(), 'pkcs8'), 'pkcs8-der'],
    ['PKCS#1 RSA', () => der(rsa(), 'pkcs1'), 'pkcs1-der'],
    ['SEC1 EC', () => der(ec(), 'sec1'), 'sec1-der'],
    ['PKCS#8 Ed25519', () => der(k.keyPair({ type: 'ed25519' }).privateKey, 'pkcs8'), 'pkcs8-der'],
  ])('finds a binary %s key file', async (_name, make, encoding) => {
    const bytes = make();
    const { findings, output } = await scanTree({ 'keys/signing.der': bytes });
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'error', line: 1, artifact: expect.objectContaining({ encoding, confirmed: true }) })]);
    expectNoMaterial(output, bytes);
  });

  it.each([
    ['an .env variable', (b: string) => `PRIVATE_KEY=${b}\n`, 1],
    ['a Java string', (b: string) => `class Keys {\n  static final String KEY = "${b}";\n}\n`, 2],
    ['a YAML value', (b: string) => `signing:\n  key: ${b}\n`, 2],
    ['a JSON member', (b: string) => JSON.stringify({ privateKey: b }, null, 2), 2],
  ])('finds a base64 PKCS#8 body without armour in %s', async (_name, wrap, line) => {
    for (const key of [rsa(), ec()]) {
      const body = der(key, 'pkcs8').toString('base64');
      const found = await findingsIn(wrap(body), { path: 'config/app.txt' });
      expect(found).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'error', line, artifact: expect.objectContaining({ encoding: 'pkcs8-der', thumbprint: await thumbprintOf(key) }) })]);
      expect(found[0]!.message).not.toContain(body.slice(0, 40));
    }
  });

  it('reports a PEM block written on one line once, as the PEM block', async () => {
    const body = der(rsa(), 'pkcs8').toString('base64');
    const found = await findingsIn(`key: "-----BEGIN PRIVATE KEY-----${body}-----END PRIVATE KEY-----"\n`);
    expect(found).toEqual([expect.objectContaining({ artifact: expect.objectContaining({ type: 'pem', encoding: 'pkcs8' }) })]);
  });

  it.each([
    ['a truncated body (a documentation example)', () => `key=${der(rsa(), 'pkcs8').toString('base64').slice(0, 120)}\n`],
    ['a public key', () => `key=${(k.keyPair().publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64')}\n`],
    ['a certificate', () => `cert=${k.certificate(ec()).replace(/-----[^-]+-----|\n/g, '')}\n`],
    ['random base64 shaped like a key\'s start', () => `blob=MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${randomBytes(900).toString('base64')}\n`],
  ])('stays quiet on %s', async (_name, text) => {
    expect(await findingsIn(text())).toEqual([]);
  });

  it('passes over binary files that only begin like DER (a certificate, random bytes after a key header)', async () => {
    const key = der(rsa(), 'pkcs8');
    const junk = Buffer.concat([key.subarray(0, 26), randomBytes(key.length - 26)]);
    const { findings } = await scanTree({ 'cert.der': new X509Certificate(k.certificate(rsa())).raw, 'junk.bin': junk });
    expect(findings).toEqual([]);
  });
});
