import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { runCli } from '../../src/cli/cli.js';
import { fixtureGlobFor } from '../../src/pipeline/adopt.js';
import * as k from '../helpers/keys.js';
import { cliIo } from '../helpers/cli.js';
import { tempTree } from '../helpers/scan.js';
import { hmac } from '../helpers/tokens.js';

const ecKey = () => k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);

describe('jwt-guard init --baseline', () => {
  it('makes a repository with findings green: test material becomes fixtures, the rest a baseline the policy names, and a new secret still fails', async () => {
    const token = await hmac('secret', { sub: 'u1' });
    const testKey = ecKey();
    const docsKey = ecKey();
    const repo = tempTree(
      {
        'src/test/java/TokenTest.java': `class TokenTest { String t = "${token}"; }\n`,
        'pkg/jwk/testdata/key.pem': testKey,
        'pkg/jwk/sign_test.go': `const k = \`${ecKey()}\`\n`,
        'docs/example.md': `A key:\n\n${docsKey}\n`,
        'README.md': 'nothing here\n',
      },
      { git: true },
    );
    try {
      const io = cliIo(repo.dir);
      expect(await runCli(['init', '--baseline'], io.handle)).toBe(0);
      const out = io.out();
      const policy = JSON.parse(readFileSync(path.join(repo.dir, '.github/jwt-guard.json'), 'utf8'));
      const baselineText = readFileSync(path.join(repo.dir, '.github/jwt-guard.baseline.json'), 'utf8');
      // fixtures proposed where the test material sits, each with its reason
      expect(policy.files.fixtures).toEqual([
        { paths: ['**/test/**'], reason: expect.stringMatching(/^test directories \(proposed by jwt-guard init --baseline: \d+ findings on 1 key or token in 1 file, such as src\/test\/java\/TokenTest\.java\)$/) },
        { paths: ['**/*_test.go'], reason: expect.stringContaining('Go test files') },
        { paths: ['**/testdata/**'], reason: expect.stringContaining('test data directories') },
      ]);
      // the rest (a key in the docs is not test material) is in the baseline the policy names
      expect(policy.baseline).toBe('.github/jwt-guard.baseline.json');
      expect(JSON.parse(baselineText).findings).toEqual([expect.objectContaining({ ruleId: 'private-key', file: 'docs/example.md' })]);
      expect(out).toContain('accepted in the baseline: 1 finding in 1 file (private-key 1)');
      expect(out).toMatch(/checked: jwt-guard scan passes now/);
      // never a secret in what it writes or prints
      for (const text of [out, baselineText, JSON.stringify(policy)]) {
        expect(text).not.toContain(token);
        expect(text).not.toContain('PRIVATE KEY');
        expect(text).not.toContain(token.split('.')[2]);
      }
      // the next scan passes; a new key fails it, and so does one added to test material that the policy trusts
      expect(await runCli(['scan'], cliIo(repo.dir).handle)).toBe(0);
      writeFileSync(path.join(repo.dir, 'src/config.pem'), ecKey());
      const after = cliIo(repo.dir);
      expect(await runCli(['scan'], after.handle)).toBe(1);
      expect(after.out()).toMatch(/\.\/src\/config\.pem\n\s+1:1\s+error\s+EC P-256 private key/);
      expect(after.out()).toContain('skipped ./.github/jwt-guard.baseline.json: baseline');
    } finally {
      repo.cleanup();
    }
  });

  it('never accepts what it could not read, and says so', async () => {
    const jwk = k.jwk(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);
    // a private JWK padded past the 64 KiB search window: a gap, which no baseline accepts
    const repo = tempTree({ 'test/k.pem': ecKey(), 'config/after.json': JSON.stringify({ kty: jwk.kty, pad: 'x'.repeat(70_000), crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }) });
    try {
      const io = cliIo(repo.dir);
      expect(await runCli(['init', '--baseline'], io.handle)).toBe(1);
      expect(io.out()).toContain("not accepted: 1 part could not be read completely, and a gate never passes over what it did not read. Fix them, or accept each in the policy's ignore list with a reason:");
      expect(io.out()).toMatch(/\n {2}config\/after\.json:1 {2}.*64 KiB search window/);
      expect(io.out()).toMatch(/checked: jwt-guard scan still fails \(2 findings \(1 error, 1 note\) on 1 key or token\): what could not be read is never accepted for you/);
      expect(existsSync(path.join(repo.dir, '.github/jwt-guard.baseline.json'))).toBe(false);
    } finally {
      repo.cleanup();
    }
  });

  it('writes no baseline when everything found is test material, and refuses to overwrite a policy', async () => {
    const repo = tempTree({ 'tests/fixtures/key.pem': ecKey() });
    try {
      const io = cliIo(repo.dir);
      expect(await runCli(['init', '--baseline'], io.handle)).toBe(0);
      expect(existsSync(path.join(repo.dir, '.github/jwt-guard.baseline.json'))).toBe(false);
      const policy = JSON.parse(readFileSync(path.join(repo.dir, '.github/jwt-guard.json'), 'utf8'));
      expect(policy.baseline).toBeUndefined();
      expect(policy.files.fixtures).toEqual([{ paths: ['**/tests/**'], reason: expect.any(String) }]);
      expect(io.out()).toContain('baseline: none needed');
      await expect(runCli(['init', '--baseline'], cliIo(repo.dir).handle)).rejects.toThrow(/already exists; not overwriting it; to accept today's findings under it, run jwt-guard scan --write-baseline/);
    } finally {
      repo.cleanup();
    }
  });

  it.each([
    ['lib/src/test/java/a/JWTTest.java', '**/test/**'],
    ['internal/jwk/testdata/rsa.json', '**/testdata/**'],
    ['jws/sign_test.go', '**/*_test.go'],
    ['packages/core/__tests__/a.ts', '**/__tests__/**'],
    ['src/auth.spec.ts', '**/*.{test,spec}.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
    ['jwcrypto/tests.py', '**/{test_*,test-*,tests,tests_*,tests-*,*_test,*_tests,conftest}.py'],
    ['jwcrypto/tests-cookbook.py', '**/{test_*,test-*,tests,tests_*,tests-*,*_test,*_tests,conftest}.py'],
    ['src/Auth/TokenTest.php', '**/*{Test,Tests,Spec}.{java,kt,scala,groovy,cs,php,swift}'],
    ['spec/models/user_spec.rb', '**/spec/**'],
  ])('proposes a glob for %s that matches it (%s)', (file, glob) => {
    expect(fixtureGlobFor(file)?.glob).toBe(glob);
    expect(picomatch(glob, { dot: true })(file)).toBe(true);
  });

  it.each(['src/auth/keys.ts', 'docs/jwt.md', 'README.md', 'config/contest.py', 'latest/key.pem', 'attestation/x.go'])('proposes nothing for %s', (file) => {
    expect(fixtureGlobFor(file)).toBeUndefined();
  });
});
