/** The Action in mint mode, run from dist/ with the runner's contract. */
import { describe, expect, it } from '@jest/globals';
import { jwtVerify } from 'jose';
import { encryptToJwe } from '../../src/mint/keys.js';
import { runAction } from '../helpers/action.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';

const PASS = 'a passphrase for the deploy key';
const policy = JSON.stringify({ mint: { issuer: 'https://ci.example.test', audience: 'deploy-api' } });
const env = { GITHUB_REPOSITORY: 'octo/app', GITHUB_SHA: 'abc123', GITHUB_REF: 'refs/heads/main', GITHUB_RUN_ID: '42' };

describe('mode: mint', () => {
  it('masks the token before anything else shows it, sets token, kid and expires-at, and logs only an audit line', async () => {
    const { privateKey, publicKey } = k.keyPair({ type: 'ec', curve: 'P-256' });
    const signingKey = await encryptToJwe(privateKey, PASS);
    const repo = tempTree({ '.github/jwt-guard.json': policy }, { git: true });
    try {
      const run = runAction(repo.dir, { mode: 'mint', 'signing-key': signingKey, 'key-passphrase': PASS, 'include-github-context': 'true' }, env);
      expect(run.status).toBe(0);
      const token = run.outputs.token!;
      const { payload } = await jwtVerify(token, publicKey, { issuer: 'https://ci.example.test', audience: 'deploy-api' });
      expect(payload).toMatchObject({ repository: 'octo/app', sha: 'abc123', run_id: '42' });
      expect(run.outputs.kid).toMatch(/^[\w-]{43}$/);
      expect(run.outputs['expires-at']).toBe(new Date(payload.exp! * 1000).toISOString());
      const lines = run.stdout.split('\n');
      const first = lines.findIndex((line) => line.includes(token));
      expect(lines[first]).toBe(`::add-mask::${token}`);
      expect(lines.slice(first + 1).some((line) => line.includes(token))).toBe(false);
      expect(run.stdout).toMatch(/^minted jti [0-9a-f-]{36}, kid [\w-]{43}, aud deploy-api, expires /m);
      expect(run.summary).toContain('## jwt-guard mint');
      // the key and passphrase appear only in the mask commands
      for (const secret of [PASS, signingKey]) {
        expect(lines.filter((line) => line.includes(secret) && !line.startsWith('::add-mask::'))).toEqual([]);
      }
    } finally {
      repo.cleanup();
    }
  });

  it('mints a batch into tokens', async () => {
    const signingKey = await encryptToJwe(k.keyPair({ type: 'ed25519' }).privateKey, PASS);
    const repo = tempTree({ '.github/jwt-guard.json': JSON.stringify({ mint: { issuer: 'https://ci.example.test', algorithm: 'EdDSA' } }) }, { git: true });
    try {
      const run = runAction(repo.dir, { mode: 'mint', 'signing-key': signingKey, 'key-passphrase': PASS, claims: '[{"aud":"svc-a"},{"aud":"svc-b"}]' }, env);
      expect(run.status).toBe(0);
      expect(JSON.parse(run.outputs.tokens!)).toHaveLength(2);
      expect(run.outputs.token).toBeUndefined();
    } finally {
      repo.cleanup();
    }
  });

  it.each([
    ['a wrong passphrase', { 'key-passphrase': 'the wrong passphrase!' }, 'the passphrase does not open the signing key'],
    ['claims the policy forbids', { claims: '{"role":"admin"}' }, 'claims sets role, which mint.overridableClaims [aud] does not allow'],
    ['a lifetime over the cap cannot be asked for', { claims: '{"exp":9999999999}' }, 'claims sets exp, which only the minting run sets'],
    ['bad claims JSON', { claims: '{role' }, "input 'claims' is not JSON"],
  ])('refuses %s, fails the step, and leaves no token in any output', async (_name, inputs, message) => {
    const signingKey = await encryptToJwe(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey, PASS);
    const repo = tempTree({ '.github/jwt-guard.json': policy }, { git: true });
    try {
      const run = runAction(repo.dir, { mode: 'mint', 'signing-key': signingKey, 'key-passphrase': PASS, ...inputs }, env);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^::error::jwt-guard: /m);
      expect(run.stdout).toContain(message);
      expect(run.outputs).toEqual({});
      expect(run.stdout).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    } finally {
      repo.cleanup();
    }
  });
});
