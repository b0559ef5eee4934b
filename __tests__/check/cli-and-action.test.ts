import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, type CliIo } from '../../src/cli/cli.js';
import { runAction } from '../helpers/action.js';
import { cliIo } from '../helpers/cli.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';
import { NOW, es256, goodClaims } from '../helpers/tokens.js';

const ec = k.keyPair({ type: 'ec', curve: 'P-256' });
const policy = JSON.stringify({ tokens: { trustedKeys: ['keys/jwks.json'], audiences: ['api'] } });
const files = { '.github/jwt-guard.json': policy, 'keys/jwks.json': JSON.stringify({ keys: [{ ...k.jwk(ec.publicKey), kid: 'k-2026' }] }) };

function io(cwd: string, stdin = '', env: NodeJS.ProcessEnv = {}) {
  let out = '';
  const handle: CliIo = { cwd, env, stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, stdin: () => [stdin] };
  return { handle, out: () => out };
}

describe('jwt-guard check', () => {
  it('verifies tokens from arguments, --file and standard input, exiting 1 when any is refused', async () => {
    const good = await es256();
    const expired = await es256(goodClaims({ iat: NOW - 7200, exp: NOW - 3600 }));
    const repo = tempTree(files, { git: true });
    try {
      const args = io(repo.dir);
      expect(await runCli(['check', good], args.handle)).toBe(0);
      expect(args.out()).toMatch(/^✔ token 1 valid: alg ES256, typ JWT, kid k-2026, iss https:\/\/id\.example\.test, aud api, exp .*, iat .*, eyJhbGciOiJF…$/m);
      writeFileSync(path.join(repo.dir, 'tokens.txt'), `${good}\n\n${expired}\n`);
      const fromFile = io(repo.dir);
      expect(await runCli(['check', '--file', 'tokens.txt'], fromFile.handle)).toBe(1);
      expect(fromFile.out()).toContain('✖ token 2 refused (token-expired): Token 2, JWT (alg ES256');
      expect(fromFile.out()).toContain('1 of 2 tokens valid');
      const fromStdin = io(repo.dir, `${expired}\n`);
      expect(await runCli(['check', '--format', 'json'], fromStdin.handle)).toBe(1);
      const json = JSON.parse(fromStdin.out());
      expect(json.results[0]).toMatchObject({ index: 1, valid: false, failure: { ruleId: 'token-expired' } });
      expect(json.summary).toEqual({ tokens: 1, valid: 0, invalid: 1 });
      expect(fromStdin.out()).not.toContain(expired.split('.')[1]);
    } finally {
      repo.cleanup();
    }
  });

  it('warns when tokens come as arguments, which other processes can see, and not when they are piped; --exit-code sets the code for refusals', async () => {
    const good = await es256();
    const expired = await es256(goodClaims({ iat: NOW - 7200, exp: NOW - 3600 }));
    const repo = tempTree(files, { git: true });
    try {
      const args = cliIo(repo.dir);
      expect(await runCli(['check', good], args.handle)).toBe(0);
      expect(args.err()).toMatch(/warning: tokens given as arguments are visible to other processes \(ps\).*pipe them on standard input or use --file/);
      expect(args.err()).not.toContain(good.split('.')[1]);
      const piped = cliIo(repo.dir, `${good}\n`);
      expect(await runCli(['check'], piped.handle)).toBe(0);
      expect(piped.err()).toBe('');
      expect(await runCli(['check', '--exit-code', '9'], cliIo(repo.dir, `${expired}\n`).handle)).toBe(9);
      expect(await runCli(['check', '--exit-code', '9'], cliIo(repo.dir, `${good}\n`).handle)).toBe(0);
    } finally {
      repo.cleanup();
    }
  });

  it('places a refused token in SARIF at a logical location, the input that carried it, not at a file that does not exist', async () => {
    const good = await es256();
    const expired = await es256(goodClaims({ iat: NOW - 7200, exp: NOW - 3600 }));
    const repo = tempTree(files, { git: true });
    try {
      const run = io(repo.dir);
      expect(await runCli(['check', '--format', 'sarif', good, expired], run.handle)).toBe(1);
      const [result] = JSON.parse(run.out()).runs[0].results;
      expect(result).toMatchObject({ ruleId: 'token-expired', locations: [{ logicalLocations: [{ name: 'token 2', fullyQualifiedName: 'check:token 2', kind: 'value' }] }] });
      expect(result.locations[0].physicalLocation).toBeUndefined();
      expect(run.out()).not.toContain('%3Ctoken');
    } finally {
      repo.cleanup();
    }
  });

  it('checks HS tokens with the secret from JWT_GUARD_HMAC_SECRET', async () => {
    const { hmac } = await import('../helpers/tokens.js');
    const secret = 'a-long-random-secret-for-this-test-only-9f8e7d6c';
    const repo = tempTree({ '.github/jwt-guard.json': JSON.stringify({ tokens: { audiences: ['api'] } }) });
    try {
      expect(await runCli(['check', await hmac(secret)], io(repo.dir, '', { JWT_GUARD_HMAC_SECRET: secret }).handle)).toBe(0);
      expect(await runCli(['check', await hmac(secret)], io(repo.dir).handle)).toBe(1);
    } finally {
      repo.cleanup();
    }
  });
});

describe('the Action with tokens', () => {
  it('masks every token before anything else, and sets valid and results without the tokens', async () => {
    const good = await es256();
    const wrongAudience = await es256(goodClaims({ aud: 'api-dev' }));
    const repo = tempTree(files, { git: true });
    try {
      const run = runAction(repo.dir, { tokens: `${good}\n${wrongAudience}\n` });
      expect(run.status).toBe(1);
      expect(run.outputs.valid).toBe('false');
      const results = JSON.parse(run.outputs.results!);
      expect(results.map((r: { valid: boolean }) => r.valid)).toEqual([true, false]);
      expect(results[1].failure.message).toContain("audience 'api-dev' is not one of [api]");
      expect(run.outputs.results).not.toContain(good.split('.')[2]);
      // ::add-mask:: for each token comes before any other line that holds it
      const lines = run.stdout.split('\n');
      for (const token of [good, wrongAudience]) {
        const first = lines.findIndex((line) => line.includes(token));
        expect(lines[first]).toBe(`::add-mask::${token}`);
        expect(lines.slice(first + 1).some((line) => line.includes(token))).toBe(false);
      }
      expect(run.stdout).toMatch(/^::error title=jwt-guard token-audience,file=<token 2>,line=1/m);
    } finally {
      repo.cleanup();
    }
  });

  it('passes when every token is valid', async () => {
    const repo = tempTree(files, { git: true });
    try {
      const run = runAction(repo.dir, { tokens: await es256() });
      expect(run.status).toBe(0);
      expect(run.outputs.valid).toBe('true');
    } finally {
      repo.cleanup();
    }
  });
});
