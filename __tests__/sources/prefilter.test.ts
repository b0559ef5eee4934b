/**
 * The byte pre-filter decides which files are decoded at all, so it must never drop a
 * finding: every format the detectors read is found by a full scan when it stands alone
 * in a file, deep inside a large file, and cut by the boundary between two read blocks.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { scanUnit } from '../../src/pipeline/scan-unit.js';
import { resolvePolicy } from '../../src/policy/load.js';
import type { PolicyDocument } from '../../src/policy/types.js';
import { scan } from '../../src/pipeline/scan.js';
import { BLOCK_BYTES, hasAnchor } from '../../src/sources/read.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';
import { es256 } from '../helpers/tokens.js';

/** Curves narrowed so that an ECDSA public key is a finding, as an RSA one of 1024 bits is by default. */
const POLICY: PolicyDocument = { keys: { curves: ['Ed25519'] }, files: { maxFileSize: '16MB' } };
const policy = resolvePolicy(POLICY, 'test');

interface Sample {
  name: string;
  text: string;
  ruleId: string;
}

let samples: Sample[] = [];

beforeAll(async () => {
  const ec = k.keyPair({ type: 'ec', curve: 'P-256' });
  const ed = k.keyPair({ type: 'ed25519' });
  const weakRsa = k.keyPair({ type: 'rsa', bits: 1024 });
  const jwkText = JSON.stringify(k.jwk(ec.privateKey));
  samples = [
    { name: 'PKCS#8 PEM', text: k.pkcs8(ec.privateKey), ruleId: 'private-key' },
    { name: 'SEC1 PEM', text: k.sec1(ec.privateKey), ruleId: 'private-key' },
    { name: 'PKCS#1 PEM', text: k.pkcs1(weakRsa.privateKey), ruleId: 'private-key' },
    { name: 'OpenSSH private key', text: k.openssh(ed.privateKey), ruleId: 'private-key' },
    { name: 'PuTTY key', text: k.ppk(ed.privateKey), ruleId: 'private-key' },
    { name: 'JWK', text: jwkText, ruleId: 'private-key' },
    { name: 'JWK as an object literal with spaces', text: `const key = { ${Object.entries(k.jwk(ec.privateKey)).map(([name, value]) => `${name}   :   '${value}'`).join(', ')} };`, ruleId: 'private-key' },
    { name: 'escaped JWK', text: JSON.stringify({ key: jwkText }), ruleId: 'private-key' },
    { name: 'weak RSA public key', text: k.spki(weakRsa.publicKey), ruleId: 'weak-key' },
    { name: 'ssh-rsa public line', text: `${k.sshPublicLine(weakRsa.privateKey)}\n`, ruleId: 'weak-key' },
    { name: 'ecdsa-sha2 public line', text: `${k.sshPublicLine(ec.privateKey)}\n`, ruleId: 'weak-key' },
    { name: 'token', text: `Authorization: Bearer ${await es256()}\n`, ruleId: 'committed-token' },
    { name: 'base64 PKCS#8 DER without armour (two-byte length)', text: `KEY=${(weakRsa.privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64')}\n`, ruleId: 'private-key' },
    { name: 'base64 PKCS#8 DER without armour (one-byte length)', text: `KEY=${(ec.privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64')}\n`, ruleId: 'private-key' },
    { name: 'base64 PKCS#8 DER without armour (short length)', text: `KEY=${(ed.privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64')}\n`, ruleId: 'private-key' },
    { name: 'base64 PKCS#12 store', text: `pfx: ${k.pkcs12Store(ec.privateKey, 'changeit', ['-iter', '1']).toString('base64')}\n`, ruleId: 'private-key' },
  ];
});

/** Text of exactly `bytes` bytes that ends with a line break. */
const filler = (bytes: number) => {
  const line = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n';
  return `${line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes - 1)}\n`;
};

async function rulesFound(files: Record<string, string>): Promise<Map<string, string[]>> {
  const tree = tempTree(files);
  try {
    const result = await scan({ root: tree.dir, policy });
    const found = new Map<string, string[]>();
    for (const finding of result.findings) found.set(finding.file, [...(found.get(finding.file) ?? []), finding.ruleId]);
    return found;
  } finally {
    tree.cleanup();
  }
}

describe('the pre-filter lets every format through', () => {
  it('makes samples a detector finds (checked by the sample list itself)', async () => {
    for (const sample of samples) {
      const { findings } = await scanUnit({ path: 'x', kind: 'file', text: sample.text }, policy);
      expect([sample.name, findings.map((f) => f.ruleId)]).toEqual([sample.name, expect.arrayContaining([sample.ruleId])]);
    }
  });

  it('finds each format alone in a file and after a megabyte of text', async () => {
    const files: Record<string, string> = {};
    samples.forEach((sample, i) => {
      files[`alone-${i}.txt`] = sample.text;
      files[`deep-${i}.txt`] = `${filler(1 << 20)}${sample.text}${filler(1000)}`;
    });
    const found = await rulesFound(files);
    const missed = samples.flatMap((sample, i) => [`alone-${i}.txt`, `deep-${i}.txt`].filter((file) => !found.get(file)?.includes(sample.ruleId)).map((file) => `${sample.name} (${file})`));
    expect(missed).toEqual([]);
  });

  it('finds each format wherever a read-block boundary cuts it', async () => {
    const files: Record<string, string> = {};
    const cut: Array<{ file: string; sample: Sample }> = [];
    for (const [i, sample] of samples.entries()) {
      // The artifact starts up to 48 bytes before the boundary: every marker is cut somewhere.
      for (let before = 1; before <= 48; before++) {
        const file = `cut-${i}-${before}.txt`;
        files[file] = `${filler(BLOCK_BYTES - before)}${sample.text}\n`;
        cut.push({ file, sample });
      }
    }
    const found = await rulesFound(files);
    expect(cut.filter(({ file, sample }) => !found.get(file)?.includes(sample.ruleId)).map(({ file, sample }) => `${sample.name} (${file})`)).toEqual([]);
  });
});

describe('the pre-filter is a superset of the detectors', () => {
  it('passes every text in which the scan finds anything', async () => {
    const pieces = () => samples.map((s) => s.text);
    const noise = fc.string({ maxLength: 20 });
    // Samples sliced at random and glued with noise: near-misses and real artifacts alike.
    const text = fc.array(fc.oneof(fc.constantFrom(...pieces()), fc.tuple(fc.constantFrom(...pieces()), fc.nat(), fc.nat()).map(([t, a, b]) => t.slice(Math.min(a, b) % t.length, Math.max(a, b) % t.length)), noise), { maxLength: 6 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, async (candidate) => {
        const { findings } = await scanUnit({ path: 'x', kind: 'file', text: candidate }, policy);
        if (findings.length > 0) expect(hasAnchor(Buffer.from(candidate))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
