/** One bad artifact never takes down its file or the scan: what is known is still reported, and the failure is a finding. */
import { describe, expect, it, jest } from '@jest/globals';
import { runCli } from '../../src/cli/cli.js';
import { resolvePolicy } from '../../src/policy/load.js';
import { scan } from '../../src/pipeline/scan.js';
import { spawnSync } from 'node:child_process';
import { CLI, cliIo } from '../helpers/cli.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';

const key = () => k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const policy = resolvePolicy({}, 'test');

describe('containment', () => {
  it('a private key followed by 125,000 token-shaped strings is still found (no spread overflows the stack)', async () => {
    const text = `${key()}${Array.from({ length: 125_000 }, (_, i) => `eyJhbGciOi${i}.x.y`).join('\n')}\n`;
    const repo = tempTree({ 'many.txt': text });
    try {
      const result = await scan({ root: repo.dir, policy });
      expect(result.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['private-key', 'many.txt', 1]]);
      expect(result.skipped).toEqual([]);
      // and the same text through standard input, as a log
      const run = cliIo(repo.dir, text);
      expect(await runCli(['scan', '--stdin-log', '--format', 'json'], run.handle)).toBe(1);
      expect(JSON.parse(run.out()).findings.map((f: { ruleId: string; file: string }) => [f.ruleId, f.file])).toEqual([['private-key', '<stdin>']]);
    } finally {
      repo.cleanup();
    }
  });

  it('a token with an exp far beyond any date is judged, says so, and the rest of the file still counts', async () => {
    const huge = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'i', aud: 'a', iat: 1, exp: 1e20 })}.${'A'.repeat(43)}`;
    // as real repositories hold it (a Java Long.MAX_VALUE of milliseconds, in seconds), written as JSON text
    const real = `${b64({ alg: 'HS256', typ: 'JWT' })}.${Buffer.from('{"iss":"i","aud":"a","iat":1,"exp":9223372006096375}').toString('base64url')}.${'B'.repeat(43)}`;
    const repo = tempTree({ 'tokens.txt': `${huge}\n${real}\n${key()}` });
    try {
      // in-process (one thread) and through the bundle with reading threads: the same findings
      const single = cliIo(repo.dir);
      expect(await runCli(['scan', '--format', 'json'], single.handle)).toBe(1);
      const threaded = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json'], { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, JWT_GUARD_THREADS: '2' } });
      expect(threaded.status).toBe(1);
      for (const doc of [JSON.parse(single.out()), JSON.parse(threaded.stdout)]) {
        const lifetimes = doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'token-lifetime');
        expect(lifetimes).toHaveLength(2);
        expect(lifetimes[0].message).toContain('exp 100000000000000000000 (out of range for a date)');
        expect(doc.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(expect.arrayContaining(['private-key', 'committed-token']));
        expect(doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'incomplete-scan')).toEqual([]);
      }
    } finally {
      repo.cleanup();
    }
  });

  it('a private JWK padded past the search window is reported as a gap, not passed over', async () => {
    const jwk = k.jwk(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);
    const repo = tempTree({
      'after.json': JSON.stringify({ kty: jwk.kty, pad: 'x'.repeat(70_000), crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }),
      'before.json': JSON.stringify({ pad: 'x'.repeat(70_000), kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }),
      // padded less than the far window before kty: found outright
      'near.json': JSON.stringify({ pad: 'x'.repeat(40_000), kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }),
      // a schema that merely names kty is not a gap, however long
      'schema.json': JSON.stringify({ properties: { pad: { description: 'x'.repeat(70_000) }, kty: { type: 'string' } } }),
    });
    try {
      const result = await scan({ root: repo.dir, policy });
      expect(result.findings.map((f) => [f.ruleId, f.file])).toEqual([
        ['incomplete-scan', 'after.json'],
        ['incomplete-scan', 'before.json'],
        ['private-key', 'near.json'],
      ]);
      expect(result.findings[0]!.message).toContain('larger than the 64 KiB search window');
      expect(result.findings[1]!.message).toContain('more than 64 KiB before it');
    } finally {
      repo.cleanup();
    }
  });

  it('an analyser that throws does not hide the key: it is reported unconfirmed, with the failure, and the file goes on', async () => {
    jest.resetModules();
    jest.unstable_mockModule('../../src/analyze/pgp.js', () => ({
      parsePgpSecretKey: async () => {
        throw Object.assign(new Error('a bug, quoting the key'), { name: 'BugError' });
      },
    }));
    const { scan: mockedScan } = await import('../../src/pipeline/scan.js');
    const { resolvePolicy: resolve } = await import('../../src/policy/load.js');
    const repo = tempTree({ 'keys.asc': `${k.pgpPrivateKey(k.keyPair({ type: 'rsa', bits: 2048 }).privateKey).armored}\n${key()}` });
    try {
      const result = await mockedScan({ root: repo.dir, policy: resolve({}, 'test') });
      const keyLine = result.findings.find((f) => f.severity === 'error' && f.ruleId === 'private-key')!.line;
      expect(keyLine).toBeGreaterThan(1);
      expect(result.findings.map((f) => [f.ruleId, f.severity, f.line])).toEqual([
        ['incomplete-scan', 'error', 1],
        ['private-key', 'error', keyLine],
        ['private-key', 'warning', 1],
      ]);
      expect(result.findings[0]!.message).toContain('the analysis of a pgp (PGP PRIVATE KEY BLOCK) failed (BugError); it is reported by what is known of it');
      expect(result.findings[0]!.message).not.toContain('quoting');
      expect(result.findings[2]!.message).toContain('could not be confirmed');
      // with JWT_GUARD_DEBUG, the gap says where it was thrown (frames only, never the message)
      const debugged = await mockedScan({ root: repo.dir, policy: resolve({}, 'test'), debug: true });
      expect(debugged.findings[0]!.message).toMatch(/failed \(BugError at parsePgpSecretKey .+\)/);
      expect(debugged.findings[0]!.message).not.toContain('quoting');
    } finally {
      repo.cleanup();
      jest.resetModules();
    }
  });
});
