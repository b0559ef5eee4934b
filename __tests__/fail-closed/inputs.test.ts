/** Path inputs are checked after links are resolved, read as bounded regular files, and no message echoes a possible secret. */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/cli.js';
import { reportFailure } from '../../src/cli/exit.js';
import { runCheck } from '../../src/check/run.js';
import { resolvePolicy } from '../../src/policy/load.js';
import { runAction } from '../helpers/action.js';
import { cliIo } from '../helpers/cli.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';
import * as t from '../helpers/tokens.js';

const key = () => k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);

/** The one line the CLI prints for a failure, and its exit code. */
async function failure(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; message: string }> {
  let message = '';
  try {
    await runCli(args, cliIo(cwd, '', env).handle);
  } catch (error) {
    return { code: reportFailure(error, { write: (text: string) => (message += text) }, {}), message };
  }
  throw new Error(`expected ${args.join(' ')} to fail`);
}

describe('paths, links resolved', () => {
  it('the Action refuses a path, policy, baseline or sarif-file that leads out of the workspace through a committed link', () => {
    const outside = tempTree({ 'secret.pem': key(), 'policy.json': '{}', 'baseline.json': '{"version":1,"findings":[]}' });
    const repo = tempTree({ 'README.md': 'clean' }, { git: true });
    try {
      symlinkSync(outside.dir, path.join(repo.dir, 'docs'));
      for (const [input, value] of [
        ['path', 'docs'],
        ['policy', 'docs/policy.json'],
        ['baseline', 'docs/baseline.json'],
        ['sarif-file', 'docs/report.sarif'],
      ] as const) {
        const run = runAction(repo.dir, { [input]: value });
        expect(run.status).toBe(1);
        expect(run.stdout).toContain(`::error::jwt-guard: input '${input}' must be a path inside the workspace`);
      }
    } finally {
      outside.cleanup();
      repo.cleanup();
    }
  });

  it('a policy, key file or baseline that is a device or a /proc file is refused at once, without echoing it', async () => {
    process.env.JWT_GUARD_TEST_SENTINEL = 'sentinel-value-8f2c91';
    const repo = tempTree({ 'a.txt': 'x', 'pass': 'a long enough passphrase' });
    try {
      expect(await failure(['scan', '--policy', '/dev/zero'], repo.dir)).toEqual({ code: 2, message: expect.stringContaining('policy file /dev/zero: not a regular file') });
      expect(await failure(['mint', '--key-file', '/dev/zero', '--passphrase-file', 'pass'], repo.dir)).toEqual({ code: 2, message: expect.stringContaining('not a regular file') });
      const environ = await failure(['scan', '--baseline', '/proc/self/environ'], repo.dir);
      expect(environ.code).toBe(2);
      expect(environ.message).toContain('is not valid JSON');
      expect(environ.message).not.toContain('sentinel');
    } finally {
      delete process.env.JWT_GUARD_TEST_SENTINEL;
      repo.cleanup();
    }
  });

  it('a default policy or a trusted key file that links out of the repository is refused', async () => {
    const outside = tempTree({ 'policy.json': '{}', 'keys.jwks': JSON.stringify({ keys: [k.jwk(k.keyPair({ type: 'ec', curve: 'P-256' }).publicKey)] }) });
    const linked = tempTree({ 'a.txt': 'x' }, { git: true });
    const trusting = tempTree({ 'a.txt': 'x', '.github/jwt-guard.json': JSON.stringify({ keys: { trusted: ['keys.jwks'] } }) }, { git: true });
    try {
      mkdirSync(path.join(linked.dir, '.github'));
      symlinkSync(path.join(outside.dir, 'policy.json'), path.join(linked.dir, '.github/jwt-guard.json'));
      expect(await failure(['scan'], linked.dir)).toEqual({ code: 2, message: expect.stringContaining('links outside') });
      symlinkSync(path.join(outside.dir, 'keys.jwks'), path.join(trusting.dir, 'keys.jwks'));
      expect(await failure(['scan'], trusting.dir)).toEqual({ code: 2, message: expect.stringContaining("policy keys.trusted[0] 'keys.jwks': must be a path inside the repository, links resolved") });
    } finally {
      outside.cleanup();
      linked.cleanup();
      trusting.cleanup();
    }
  });
});

describe('no echoes', () => {
  it('a schema error gives the pointer, the type and the length, never the value', async () => {
    const pem = key();
    const repo = tempTree({ 'a.txt': 'x', '.github/jwt-guard.json': JSON.stringify({ mint: { issuer: 42, audience: { x: 1 } }, tokens: { type: pem.length > 0 ? 7 : 0, maxLifetime: pem } }) });
    try {
      const { code, message } = await failure(['scan'], repo.dir);
      expect(code).toBe(2);
      expect(message).toContain('/tokens/maxLifetime');
      expect(message).toContain(`not a string of ${pem.length} characters`);
      expect(message).not.toContain('PRIVATE KEY');
      expect(message).not.toContain(pem.split('\n')[1]!.slice(0, 16));
    } finally {
      repo.cleanup();
    }
  });

  it('a *-file option that names no file says so without repeating the value', async () => {
    // encrypt-key judges the key before it asks for a passphrase: a real one, made here.
    const repo = tempTree({ 'a.txt': 'x', 'key.pem': k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey) });
    try {
      for (const option of ['--passphrase-file', '--key-file', '--hmac-secret-file', '--file']) {
        const command = option === '--hmac-secret-file' || option === '--file' ? ['check', 'x.y.z'] : option === '--passphrase-file' ? ['encrypt-key', '--key-file', 'key.pem'] : ['mint'];
        const { code, message } = await failure([...command, option, 'correct horse battery staple'], repo.dir);
        expect([option, code]).toEqual([option, 2]);
        expect(message).toContain(`${option} (the value given is not repeated, in case it is a secret): no such file`);
        expect(message).not.toContain('horse');
      }
    } finally {
      repo.cleanup();
    }
  });

  it('check describes a value that is not a JWT by its length and shape, and never shows sub', async () => {
    const policy = resolvePolicy({}, 'test');
    const [notJwt, real] = await runCheck(policy, { tokens: ['hunter2-my-database-password', await t.es256(t.goodClaims({ sub: 'alice@example.test' }))], base: process.cwd() });
    expect(notJwt!.failure!.message).toContain('a value that is not a JWT (28 characters, no dots)');
    expect(JSON.stringify(notJwt)).not.toContain('hunter2');
    expect(JSON.stringify(real)).not.toContain('alice');
  });

  it('jwksUrls: credentials, query and fragment never appear in messages, and an entry that does not parse is a policy error', async () => {
    const token = await t.es256();
    const policy = resolvePolicy({ tokens: { jwksUrls: ['http://user:hunter2@127.0.0.1:9/jwks.json?api_key=abc123#frag'] } }, 'test');
    const [result] = await runCheck(policy, { tokens: [token], base: process.cwd() });
    expect(result!.failure!.message).toContain('the JWKS at http://127.0.0.1:9/jwks.json (credentials, query and fragment not shown) could not be read');
    expect(result!.failure!.message).not.toMatch(/hunter2|abc123|#frag/);
    const spaced = 'https://id .example.test/jwks.json';
    expect(() => resolvePolicy({ tokens: { jwksUrls: [spaced] } }, 'p.json')).toThrow(`policy p.json: tokens.jwksUrls: [0] is not a URL that parses (a string of ${spaced.length} characters)`);
  });
});

describe('check and the HMAC secret it verifies with', () => {
  it('refuses an HS256 token that verifies only with a well-known or short secret', async () => {
    const policy = resolvePolicy({ tokens: { requiredClaims: [] } }, 'test');
    for (const [secret, expected] of [
      ['secret', /weak-secret.*well-known secret/],
      ['sixteen-byte-key', /weak-secret.*is 128 bits, under the 256 that HS256 needs/],
    ] as const) {
      const [result] = await runCheck(policy, { tokens: [await t.hmac(secret)], base: process.cwd(), hmacSecret: secret });
      expect(result!.valid).toBe(false);
      expect(`${result!.failure!.ruleId} ${result!.failure!.message}`).toMatch(expected);
      expect(result!.failure!.message).not.toContain(`'${secret}'`);
    }
    const strong = 'a-random-and-long-enough-secret-of-48-characters';
    const [ok] = await runCheck(policy, { tokens: [await t.hmac(strong)], base: process.cwd(), hmacSecret: strong });
    expect(ok!.valid).toBe(true);
  });
});
