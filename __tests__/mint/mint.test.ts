import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, decodeProtectedHeader, jwtVerify } from 'jose';
import { runCli, type CliIo } from '../../src/cli/cli.js';
import { UserError } from '../../src/errors.js';
import { encryptToJwe, encryptToPkcs8, openSigningKey } from '../../src/mint/keys.js';
import { BACKDATE_SECONDS, githubContextClaims, mintTokens } from '../../src/mint/mint.js';
import { resolvePolicy } from '../../src/policy/load.js';
import type { PolicyDocument } from '../../src/policy/types.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';

const PASS = 'correct horse battery staple';
const mintPolicy = (over: PolicyDocument['mint'] = {}, rest: PolicyDocument = {}): PolicyDocument => ({ ...rest, mint: { issuer: 'https://ci.example.test', audience: 'deploy-api', ...over } });

async function mint(privateKey: KeyObject, policy: PolicyDocument, form: 'jwe' | 'pkcs8' = 'jwe', request: Partial<Parameters<typeof mintTokens>[1]> = {}) {
  const blob = form === 'jwe' ? await encryptToJwe(privateKey, PASS) : encryptToPkcs8(privateKey, PASS);
  const resolved = resolvePolicy(policy, 'test');
  const key = await openSigningKey(blob, PASS, { allowPlainKey: resolved.mint.allowPlainKey });
  return mintTokens(resolved, { key, ...request });
}

describe('mint: each key form and algorithm family, verified by jose against the public key', () => {
  it.each([
    ['ES256', { type: 'ec', curve: 'P-256' } as const],
    ['ES384', { type: 'ec', curve: 'P-384' } as const],
    ['RS256', { type: 'rsa', bits: 2048 } as const],
    ['PS256', { type: 'rsa', bits: 2048 } as const],
    ['EdDSA', { type: 'ed25519' } as const],
  ])('%s from a JWE and from an encrypted PKCS#8 PEM', async (alg, spec) => {
    const { privateKey, publicKey } = k.keyPair(spec);
    for (const form of ['jwe', 'pkcs8'] as const) {
      const before = Math.floor(Date.now() / 1000);
      const { tokens } = await mint(privateKey, mintPolicy({ algorithm: alg }), form);
      const after = Math.floor(Date.now() / 1000);
      const { payload, protectedHeader } = await jwtVerify(tokens[0]!.token, publicKey, { algorithms: [alg], issuer: 'https://ci.example.test', audience: 'deploy-api' });
      expect(protectedHeader).toEqual({ alg, typ: 'JWT', kid: await calculateJwkThumbprint(k.jwk(publicKey) as never) });
      expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(payload.iat).toBeGreaterThanOrEqual(before - BACKDATE_SECONDS);
      expect(payload.iat).toBeLessThanOrEqual(after - BACKDATE_SECONDS);
      expect(payload.nbf).toBe(payload.iat);
      expect(payload.exp! - payload.iat!).toBe(600);
      expect(tokens[0]!.expiresAt).toBe(new Date(payload.exp! * 1000).toISOString());
    }
  });
});

describe('mint: what goes into the token', () => {
  it('caps the lifetime at tokens.maxLifetime and says so', async () => {
    const { tokens, warnings } = await mint(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey, mintPolicy({ lifetime: '2h' }, { tokens: { maxLifetime: '1h' } }));
    const header = decodeProtectedHeader(tokens[0]!.token);
    expect(header.alg).toBe('ES256');
    expect(tokens[0]!.exp - (JSON.parse(Buffer.from(tokens[0]!.token.split('.')[1]!, 'base64url').toString()).iat as number)).toBe(3600);
    expect(warnings).toEqual(['mint.lifetime 2 h is capped at tokens.maxLifetime 1 h']);
  });

  it("mints with a key whose thumbprint (the kid) holds '--', as 1 in 100 do", async () => {
    let privateKey: KeyObject | undefined;
    for (let i = 0; i < 5000 && !privateKey; i++) {
      const pair = generateKeyPairSync('ed25519');
      if ((await calculateJwkThumbprint(pair.publicKey.export({ format: 'jwk' }) as never)).includes('--')) privateKey = pair.privateKey;
    }
    const { tokens } = await mint(privateKey!, mintPolicy({ algorithm: 'EdDSA' }));
    expect(decodeProtectedHeader(tokens[0]!.token).kid).toContain('--');
  });

  it('mints a batch, one token per claim set, each with its own jti and audience', async () => {
    const { tokens } = await mint(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey, mintPolicy(), 'jwe', { claimSets: [{ aud: 'svc-a' }, { aud: 'svc-b' }] });
    expect(tokens.map((t) => t.aud)).toEqual(['svc-a', 'svc-b']);
    expect(new Set(tokens.map((t) => t.jti)).size).toBe(2);
  });

  it('adds static claims and the GitHub context', async () => {
    const env = { GITHUB_REPOSITORY: 'octo/app', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: 'abc123', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1', GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/deploy.yml@refs/heads/main' };
    const { tokens } = await mint(k.keyPair({ type: 'ed25519' }).privateKey, mintPolicy({ algorithm: 'EdDSA', claims: { scope: 'deploy' } }), 'jwe', { githubContext: githubContextClaims(env) });
    const claims = JSON.parse(Buffer.from(tokens[0]!.token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ scope: 'deploy', repository: 'octo/app', ref: 'refs/heads/main', sha: 'abc123', run_id: '42', run_attempt: '1', workflow_ref: env.GITHUB_WORKFLOW_REF });
  });
});

describe('mint: refusals leave no token', () => {
  const ec = k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey;
  it.each([
    ['a wrong passphrase (JWE)', async () => openSigningKey(await encryptToJwe(ec, PASS), 'not the passphrase!!', { allowPlainKey: false }), 'the passphrase does not open the signing key'],
    ['a wrong passphrase (PKCS#8)', async () => openSigningKey(encryptToPkcs8(ec, PASS), 'not the passphrase!!', { allowPlainKey: false }), 'the passphrase does not open the signing key'],
    ['a corrupt blob', async () => openSigningKey('eyJhbGciOiJQQkVTMiJ9.AAAA.BBBB.CCCC.DDDD', PASS, { allowPlainKey: false }), 'not a JWE jwt-guard accepts'],
    ['a plain key', async () => openSigningKey(k.pkcs8(ec), undefined, { allowPlainKey: false }), 'the signing key is not encrypted'],
    ['an encrypted key without a passphrase', async () => openSigningKey(encryptToPkcs8(ec, PASS), undefined, { allowPlainKey: false }), 'no passphrase was given'],
    ['a weak key', async () => mint(k.keyPair({ type: 'rsa', bits: 1024 }).privateKey, mintPolicy({ algorithm: 'RS256' })), 'the signing key is weak or unfit for RS256 (mint.algorithm): its 1024-bit modulus'],
    ['an algorithm the key does not fit', async () => mint(ec, mintPolicy({ algorithm: 'RS256' })), 'unfit for RS256'],
    ['an algorithm the policy forbids', async () => mint(ec, mintPolicy({ algorithm: 'ES256' }, { algorithms: { allow: ['EdDSA'] } })), "'ES256' is not in algorithms.allow"],
    ['claims that set exp', async () => mint(ec, mintPolicy(), 'jwe', { claimSets: [{ exp: 9999999999 }] }), 'claims sets exp, which only the minting run sets'],
    ['claims the policy does not let inputs set', async () => mint(ec, mintPolicy(), 'jwe', { claimSets: [{ role: 'admin' }] }), 'claims sets role, which mint.overridableClaims [aud] does not allow'],
    ['an audience outside tokens.audiences', async () => mint(ec, mintPolicy({}, { tokens: { audiences: ['deploy-api'] } }), 'jwe', { audience: 'other-api' }), "(token-audience): audience 'other-api' is not one of [deploy-api]"],
    ['no issuer while iss is required', async () => mint(ec, mintPolicy({ issuer: '' })), '(missing-claim): it lacks iss'],
    ['a secret in the static claims', async () => mint(ec, mintPolicy({ claims: { db_password: 'hunter2' } })), 'claims named like secrets: db_password'],
  ])('%s', async (_name, attempt, message) => {
    const failure = await (attempt as () => Promise<unknown>)().then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as Error).message).toContain(message);
    expect((failure as Error).message).not.toContain(PASS);
  });

  it('says the passphrase is wrong every time, including when the wrong key happens to unpad cleanly', async () => {
    // One wrong passphrase in ~256 yields valid CBC padding and fails later, in the DER: try enough to meet it.
    // The same PBES2 AES-256-CBC form, written by openssl with one PBKDF2 iteration so that 1500 tries cost little.
    const blob = execFileSync('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-iter', '1', '-passout', `pass:${PASS}`], { input: k.pkcs8(ec) }).toString();
    const messages = new Set<string>();
    for (let i = 0; i < 1500; i++) {
      await openSigningKey(blob, `wrong passphrase ${i}`, { allowPlainKey: false }).catch((error: Error) => messages.add(error.message));
    }
    expect([...messages]).toEqual(['the passphrase does not open the signing key']);
    await expect(openSigningKey(blob.replace(/[A-Za-z0-9+/]{60}\n/, 'not base64 at all\n'), PASS, { allowPlainKey: false })).rejects.toThrow('the signing key says it is encrypted, but is not a readable encrypted key');
  });

  it('a plain key is accepted only with mint.allowPlainKey, and then with a warning', async () => {
    const resolved = resolvePolicy(mintPolicy({ allowPlainKey: true }), 't');
    const key = await openSigningKey(k.pkcs8(ec), undefined, { allowPlainKey: true });
    const { tokens, warnings } = await mintTokens(resolved, { key });
    expect(tokens).toHaveLength(1);
    expect(warnings[0]).toContain('arrived unencrypted');
  });
});

describe('encrypt-key and keygen', () => {
  function io(cwd: string, env: NodeJS.ProcessEnv = {}, stdin = '') {
    let out = '';
    let err = '';
    const handle: CliIo = { cwd, env, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, stdin: () => [stdin] };
    return { handle, out: () => out, err: () => err };
  }

  it('keygen makes a key that mints tokens check accepts, and never prints the passphrase or the key', async () => {
    const repo = tempTree({ '.github/jwt-guard.json': JSON.stringify({ mint: { issuer: 'https://ci.example.test', audience: 'deploy-api' }, tokens: { trustedKeys: ['keys/jwks.json'], audiences: ['deploy-api'] } }) });
    const { writeFileSync } = await import('node:fs');
    try {
      writeFileSync(path.join(repo.dir, 'pass.txt'), `${PASS}\n`);
      const gen = io(repo.dir);
      expect(await runCli(['keygen', '--passphrase-file', 'pass.txt', '--out-dir', 'keys'], gen.handle)).toBe(0);
      expect(gen.out()).toMatch(/^made ES256 key [\w-]{43}: publish keys\/jwks\.json, store keys\/signing-key\.jwe as a secret/);
      const minting = io(repo.dir, { JWT_GUARD_SIGNING_KEY: readFileSync(path.join(repo.dir, 'keys/signing-key.jwe'), 'utf8'), JWT_GUARD_KEY_PASSPHRASE: PASS });
      expect(await runCli(['mint'], minting.handle)).toBe(0);
      const token = minting.out().trim();
      expect(minting.err()).toMatch(/minted jti [0-9a-f-]{36}, kid [\w-]{43}, aud deploy-api, expires /);
      expect(minting.err()).not.toContain(token);
      const checking = io(repo.dir);
      expect(await runCli(['check', token], checking.handle)).toBe(0);
      for (const text of [gen.out(), minting.err(), checking.out()]) expect(text).not.toContain(PASS);
    } finally {
      repo.cleanup();
    }
  });

  it('encrypt-key turns a PEM into either form, reading the passphrase from standard input', async () => {
    const repo = tempTree({ 'key.pem': k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey) });
    try {
      const jwe = io(repo.dir, {}, `${PASS}\n`);
      expect(await runCli(['encrypt-key', '--key-file', 'key.pem'], jwe.handle)).toBe(0);
      const header = decodeProtectedHeader(jwe.out().trim());
      expect(header).toMatchObject({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 210000 });
      expect(Buffer.from(header.p2s as string, 'base64url')).toHaveLength(16);
      const pem = io(repo.dir, { JWT_GUARD_KEY_PASSPHRASE: PASS });
      expect(await runCli(['encrypt-key', '--key-file', 'key.pem', '--form', 'pkcs8', '--output', 'key.enc.pem'], pem.handle)).toBe(0);
      expect(readFileSync(path.join(repo.dir, 'key.enc.pem'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      expect(jwe.out() + pem.out()).not.toContain(PASS);
      await expect(runCli(['encrypt-key', '--key-file', 'key.pem'], io(repo.dir, { JWT_GUARD_KEY_PASSPHRASE: 'short' }).handle)).rejects.toThrow(/at least 12 characters/);
    } finally {
      repo.cleanup();
    }
  });

  it('encrypt-key says what it wrote, and refuses a key mint would refuse before asking for a passphrase', async () => {
    const repo = tempTree({ 'key.pem': k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey), 'weak.pem': k.pkcs8(k.keyPair({ type: 'rsa', bits: 1024 }).privateKey), 'rsa.pem': k.pkcs8(k.keyPair({ type: 'rsa', bits: 2048 }).privateKey) });
    try {
      const ok = io(repo.dir, { JWT_GUARD_KEY_PASSPHRASE: PASS });
      expect(await runCli(['encrypt-key', '--key-file', 'key.pem', '--output', 'key.jwe'], ok.handle)).toBe(0);
      expect(ok.err()).toMatch(/^jwt-guard: encrypted the EC P-256 key \(kid [\w-]{43}\) for ES256, as a compact JWE \(PBES2-HS512\+A256KW, A256GCM\), to key\.jwe \(mode 600\): store it as a secret, then delete it and the plain key\n$/);
      // an RSA key for the default ES256, and a weak one: refused, nothing written, no passphrase asked
      let asked = 0;
      const refuse = (file: string) => {
        const run = io(repo.dir);
        run.handle.prompt = async () => (asked++, PASS);
        return runCli(['encrypt-key', '--key-file', file, '--output', `${file}.jwe`], run.handle);
      };
      await expect(refuse('rsa.pem')).rejects.toThrow(/^refusing to encrypt a key mint would refuse: the signing key is weak or unfit for ES256 \(mint.algorithm\)/);
      const rs256 = tempTree({ '.github/jwt-guard.json': JSON.stringify({ mint: { algorithm: 'RS256', issuer: 'https://ci.example.test', audience: 'x' } }), 'weak.pem': k.pkcs8(k.keyPair({ type: 'rsa', bits: 1024 }).privateKey) });
      try {
        const run = io(rs256.dir);
        run.handle.prompt = async () => (asked++, PASS);
        await expect(runCli(['encrypt-key', '--key-file', 'weak.pem', '--output', 'weak.jwe'], run.handle)).rejects.toThrow(/its 1024-bit modulus is below keys.minRsaBits/);
        expect(existsSync(path.join(rs256.dir, 'weak.jwe'))).toBe(false);
      } finally {
        rs256.cleanup();
      }
      expect(asked).toBe(0);
      expect(existsSync(path.join(repo.dir, 'rsa.pem.jwe'))).toBe(false);
    } finally {
      repo.cleanup();
    }
  });

  it('asks for a passphrase on a terminal, twice for a new one, and writes nothing when they differ', async () => {
    const repo = tempTree({ 'key.pem': k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey) });
    try {
      const questions: string[] = [];
      const answers = [PASS, PASS];
      const run = io(repo.dir);
      run.handle.prompt = async (q) => (questions.push(q), answers.shift()!);
      expect(await runCli(['encrypt-key', '--key-file', 'key.pem', '--output', 'key.jwe'], run.handle)).toBe(0);
      expect(questions).toEqual(['Enter passphrase: ', 'Enter same passphrase again: ']);
      // mint asks once, for the encrypted key it is given
      const minting = io(repo.dir, { JWT_GUARD_SIGNING_KEY: readFileSync(path.join(repo.dir, 'key.jwe'), 'utf8') });
      const asked: string[] = [];
      minting.handle.prompt = async (q) => (asked.push(q), PASS);
      const policy = path.join(repo.dir, 'p.json');
      (await import('node:fs')).writeFileSync(policy, JSON.stringify({ mint: { issuer: 'https://ci.example.test', audience: 'x' } }));
      expect(await runCli(['mint', '--policy', 'p.json', '--github-context'], minting.handle)).toBe(0);
      expect(asked).toEqual(['Passphrase for the signing key: ']);
      expect(minting.err()).toContain('jwt-guard: warning: --github-context found none of GITHUB_REPOSITORY, GITHUB_REF, GITHUB_SHA, GITHUB_RUN_ID (not in a GitHub Actions job?): no context claims were added');
      // two different answers: refused, nothing written
      const differ = io(repo.dir);
      const replies = [PASS, `${PASS}x`];
      differ.handle.prompt = async () => replies.shift()!;
      await expect(runCli(['encrypt-key', '--key-file', 'key.pem', '--output', 'other.jwe'], differ.handle)).rejects.toThrow('the passphrases do not match: nothing was written');
      expect(existsSync(path.join(repo.dir, 'other.jwe'))).toBe(false);
      expect(run.out() + run.err() + minting.err()).not.toContain(PASS);
    } finally {
      repo.cleanup();
    }
  });

  it('opens what it encrypts to the same key', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const opened = await openSigningKey(await encryptToJwe(privateKey, PASS), PASS, { allowPlainKey: false });
    expect(opened.publicJwk.x).toBe((createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string }).x);
    expect(opened.form).toBe('jwe');
  });
});
