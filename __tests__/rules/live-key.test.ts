import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/errors.js';
import { runScan } from '../../src/pipeline/run-scan.js';
import type { ScanSettings } from '../../src/pipeline/settings.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';

const production = k.keyPair({ type: 'ec', curve: 'P-256' }, true);
const productionRsa = k.keyPair({ type: 'rsa', bits: 2048 }, true);
const other = k.keyPair({ type: 'ec', curve: 'P-256' }, true);

const settings = (root: string): ScanSettings => ({ targets: [root], base: root, scanFiles: true, format: 'json', failOn: 'error' });
const policy = (trusted: string[]) => JSON.stringify({ keys: { trusted } });

describe('live keys (keys.trusted)', () => {
  it('reports a private key whose public half is a trusted production key as live, whatever its encoding', async () => {
    const jwks = JSON.stringify({ keys: [{ ...k.jwk(production.publicKey), kid: 'prod-2026', use: 'sig', alg: 'ES256' }] });
    const repo = tempTree({
      '.github/jwt-guard.json': policy(['keys/production.jwks', 'keys/rsa-cert.pem']),
      'keys/production.jwks': jwks,
      'keys/rsa-cert.pem': k.certificate(productionRsa.privateKey),
      'ops/leaked.pem': k.sec1(production.privateKey),
      'ops/leaked-ssh': k.openssh(productionRsa.privateKey, { encrypted: true }),
      'ops/unrelated.pem': k.sec1(other.privateKey),
    });
    try {
      const { result } = await runScan(settings(repo.dir));
      const keys = result.findings.filter((f) => f.ruleId === 'private-key');
      const byFile = Object.fromEntries(keys.map((f) => [f.file, f]));
      expect(byFile['ops/leaked.pem']!.message).toMatch(/^LIVE KEY: EC P-256 private key .* is the private half of the trusted production key \(EC P-256 with kid 'prod-2026' in keys\/production\.jwks\)\. Rotate it now/);
      // encrypted, yet live: an error all the same
      expect(byFile['ops/leaked-ssh']).toMatchObject({ severity: 'error', message: expect.stringContaining('in keys/rsa-cert.pem') });
      expect(byFile['ops/unrelated.pem']!.message).not.toContain('LIVE');
      expect(result.findings.filter((f) => f.file.startsWith('keys/'))).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  it.each([
    ['a missing file', ['keys/nope.jwks'], /keys\.trusted\[0\] 'keys\/nope\.jwks': no such file in the repository/],
    ['a path outside the repository', ['../outside.jwks'], /must be a path inside the repository/],
    ['a file with no key', ['README.md'], /holds no public key jwt-guard can read/],
  ])('refuses %s as a user error', async (_name, trusted, message) => {
    const repo = tempTree({ '.github/jwt-guard.json': policy(trusted as string[]), 'README.md': 'no keys here' });
    try {
      await expect(runScan(settings(repo.dir))).rejects.toThrow(UserError);
      await expect(runScan(settings(repo.dir))).rejects.toThrow(message as RegExp);
    } finally {
      repo.cleanup();
    }
  });
});
