import { describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { runScan } from '../../src/pipeline/run-scan.js';
import type { ScanSettings } from '../../src/pipeline/settings.js';
import type { Finding } from '../../src/types.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';
import { goodClaims, hmac } from '../helpers/tokens.js';

const production = k.keyPair({ type: 'ec', curve: 'P-256' }, true);
const test = k.keyPair({ type: 'ec', curve: 'P-256' }, true);
const ISSUER = 'https://login.example.test';

const settings = (root: string): ScanSettings => ({ targets: [root], base: root, scanFiles: true, format: 'json', failOn: 'error' });
const sign = (key: typeof production.privateKey, claims = goodClaims({ iss: ISSUER })) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'prod-1' }).sign(key);
const byFile = (findings: Finding[]) => {
  const map: Record<string, Finding[]> = {};
  for (const f of findings) (map[f.file] ??= []).push(f);
  return map;
};

describe('files.fixtures', () => {
  it('makes test keys and tokens notes, and keeps production material at its severity wherever it sits', async () => {
    const jwks = JSON.stringify({ keys: [{ ...k.jwk(production.publicKey), kid: 'prod-1', alg: 'ES256', use: 'sig' }] });
    const repo = tempTree({
      '.github/jwt-guard.json': JSON.stringify({ files: { fixtures: ['test/**'] }, keys: { trusted: ['keys/prod.jwks'] }, tokens: { issuers: [ISSUER] } }),
      'keys/prod.jwks': jwks,
      'test/keys/test.pem': k.sec1(test.privateKey),
      'test/keys/prod.pem': k.sec1(production.privateKey),
      'test/tokens/test.txt': `${await sign(test.privateKey)}\n${await hmac('secret', { sub: 'x' })}\n`,
      'test/tokens/prod.txt': `${await sign(production.privateKey)}\n`,
      'src/leak.pem': k.sec1(test.privateKey),
    });
    try {
      const { result, summary } = await runScan(settings(repo.dir));
      const files = byFile(result.findings);
      // test material: every finding on it a note, saying why
      for (const f of [...files['test/keys/test.pem']!, ...files['test/tokens/test.txt']!]) {
        expect(f.severity).toBe('note');
        expect(f.message).toMatch(/Reported as a note: it sits in test material \(files\.fixtures\)\.$/);
      }
      expect(files['test/tokens/test.txt']!.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['committed-token', 'weak-secret']));
      // production material in a fixture path: the live key and the production token stay errors
      expect(files['test/keys/prod.pem']).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'error', message: expect.stringMatching(/^LIVE KEY: .* but it is production material: the policy trusts it\.$/) })]);
      expect(files['test/tokens/prod.txt']).toContainEqual(expect.objectContaining({ ruleId: 'committed-token', severity: 'error', message: expect.stringContaining('production material') }));
      // outside the fixture paths nothing changes
      expect(files['src/leak.pem']).toEqual([expect.objectContaining({ ruleId: 'private-key', severity: 'error', message: expect.not.stringContaining('fixtures') })]);
      expect(summary.passed).toBe(false);
    } finally {
      repo.cleanup();
    }
  });

  it('a token that only claims a production issuer, signed by another key, is test material', async () => {
    const repo = tempTree({
      '.github/jwt-guard.json': JSON.stringify({ files: { fixtures: ['spec/**'] }, tokens: { issuers: [ISSUER], trustedKeys: ['keys/prod.pem'] } }),
      'keys/prod.pem': k.spki(production.publicKey),
      'spec/forged.txt': await sign(test.privateKey),
      'spec/real.txt': await sign(production.privateKey),
    });
    try {
      const { result } = await runScan(settings(repo.dir));
      const files = byFile(result.findings);
      expect(new Set(files['spec/forged.txt']!.map((f) => f.severity))).toEqual(new Set(['note']));
      expect(files['spec/real.txt']!.find((f) => f.ruleId === 'committed-token')).toMatchObject({ severity: 'error' });
    } finally {
      repo.cleanup();
    }
  });

  it('never makes a gap a note: what could not be read in a fixture path still fails the scan', async () => {
    const body = k.sec1(test.privateKey);
    const repo = tempTree({
      '.github/jwt-guard.json': JSON.stringify({ files: { fixtures: ['test/**'], maxFileSize: 200 } }),
      'test/big.pem': body,
    });
    try {
      const { result, summary } = await runScan(settings(repo.dir));
      expect(result.findings).toEqual([expect.objectContaining({ ruleId: 'incomplete-scan', severity: 'error', file: 'test/big.pem' })]);
      expect(summary.passed).toBe(false);
    } finally {
      repo.cleanup();
    }
  });

  it('is a policy error when a fixture glob is empty', async () => {
    const repo = tempTree({ '.github/jwt-guard.json': JSON.stringify({ files: { fixtures: [''] } }) });
    try {
      await expect(runScan(settings(repo.dir))).rejects.toThrow(/files\/fixtures\/0/);
    } finally {
      repo.cleanup();
    }
  });
});
