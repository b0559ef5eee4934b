/** mint takes exactly one encrypted key, refuses what it cannot mint with as a usage error, and never overwrites a key. */
import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CompactEncrypt } from 'jose';
import { runCli } from '../../src/cli/cli.js';
import { reportFailure } from '../../src/cli/exit.js';
import { UserError } from '../../src/errors.js';
import { encryptToJwe, openSigningKey } from '../../src/mint/keys.js';
import { cliIo } from '../helpers/cli.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';

const PASS = 'correct horse battery staple';
const plain = () => k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);
const encrypted = (key = k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey) => k.encryptedPkcs8(key, PASS);

/** What a command's failure prints and its exit code, as the CLI entry reports it. */
async function fails(args: string[], cwd: string, stdin = ''): Promise<{ code: number; message: string }> {
  const run = cliIo(cwd, stdin);
  let message = '';
  try {
    await runCli(args, run.handle);
  } catch (error) {
    const code = reportFailure(error, { write: (t: string) => (message += t) }, {});
    return { code, message };
  }
  throw new Error(`expected ${args.join(' ')} to fail`);
}

describe('mint key blobs', () => {
  it('a plain key with an encrypted-looking line beside it is refused, whatever passphrase is given', async () => {
    for (const blob of [`${plain()}\n-----BEGIN ENCRYPTED PRIVATE KEY-----\n`, `Proc-Type: 4,ENCRYPTED\n${plain()}`, `${plain()}\n${encrypted()}`, `${encrypted()}\ntrailing words`]) {
      await expect(openSigningKey(blob, 'any passphrase at all', { allowPlainKey: false })).rejects.toThrow(UserError);
      await expect(openSigningKey(blob, 'any passphrase at all', { allowPlainKey: false })).rejects.toThrow(/exactly one key and nothing else|not encrypted/);
    }
  });

  it('a plain key annotated as encrypted does not open with any passphrase', async () => {
    const annotated = plain().replace('-----BEGIN PRIVATE KEY-----\n', '-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n');
    await expect(openSigningKey(annotated, 'any passphrase at all', { allowPlainKey: false })).rejects.toThrow(UserError);
  });

  it('one encrypted PEM block or one JWE opens, as before', async () => {
    await expect(openSigningKey(encrypted(), PASS, { allowPlainKey: false })).resolves.toMatchObject({ form: 'encrypted-pkcs8' });
    await expect(openSigningKey(k.procTypeEncrypted(k.keyPair({ type: 'rsa', bits: 2048 }).privateKey, PASS), PASS, { allowPlainKey: false })).resolves.toMatchObject({ form: 'encrypted-pkcs8' });
    await expect(openSigningKey(await encryptToJwe(k.keyPair({ type: 'ed25519' }).privateKey, PASS), PASS, { allowPlainKey: false })).resolves.toMatchObject({ form: 'jwe' });
  });

  it('a JWE whose PBES2 count is under 1000 is refused before any key derivation', async () => {
    const jwk = k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const weak = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
      .setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM' })
      .setKeyManagementParameters({ p2c: 1, p2s: randomBytes(16) })
      .encrypt(new TextEncoder().encode(PASS));
    await expect(openSigningKey(weak, PASS, { allowPlainKey: false })).rejects.toThrow("the signing key's PBES2 iteration count (p2c) is 1, under the minimum of 1000");
  });

  it('keys and algorithms jwt-guard does not mint with are usage errors that say what it mints with', async () => {
    const repo = tempTree({});
    try {
      const keys: Record<string, string> = {
        'rsa-pss': encrypted(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey),
        dsa: encrypted(generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey),
        // node's typings have no overload for DH groups
        dh: encrypted((generateKeyPairSync as unknown as (type: string, options: object) => { privateKey: KeyObject })('dh', { group: 'modp14' }).privateKey),
        secp256k1: encrypted(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey),
        ed448: encrypted(generateKeyPairSync('ed448').privateKey),
      };
      writeFileSync(path.join(repo.dir, 'pass'), PASS);
      writeFileSync(path.join(repo.dir, 'policy.json'), JSON.stringify({ mint: { issuer: 'i', audience: 'a', algorithm: 'EdDSA' }, keys: { curves: ['P-256', 'secp256k1', 'Ed25519', 'Ed448'] } }));
      for (const [name, blob] of Object.entries(keys)) {
        writeFileSync(path.join(repo.dir, `${name}.pem`), blob);
        const { code, message } = await fails(['mint', '--key-file', `${name}.pem`, '--passphrase-file', 'pass', '--policy', 'policy.json'], repo.dir);
        expect([name, code]).toEqual([name, 2]);
        expect(message).toContain('which jwt-guard does not mint with: it mints with RSA');
      }
      writeFileSync(path.join(repo.dir, 'k1.json'), JSON.stringify({ mint: { issuer: 'i', audience: 'a', algorithm: 'ES256K' }, algorithms: { allow: ['ES256K'] } }));
      writeFileSync(path.join(repo.dir, 'ec.pem'), encrypted());
      const es256k = await fails(['mint', '--key-file', 'ec.pem', '--passphrase-file', 'pass', '--policy', 'k1.json'], repo.dir);
      expect(es256k.code).toBe(2);
      writeFileSync(path.join(repo.dir, 'forever.json'), JSON.stringify({ mint: { issuer: 'i', audience: 'a', lifetime: '999999999999w' } }));
      const forever = await fails(['mint', '--key-file', 'ec.pem', '--passphrase-file', 'pass', '--policy', 'forever.json'], repo.dir);
      expect(forever).toEqual({ code: 2, message: expect.stringContaining('mint.lifetime: invalid duration') });
    } finally {
      repo.cleanup();
    }
  });
});

describe('key helpers never overwrite a key', () => {
  it('keygen --out-dir and encrypt-key --output refuse an existing file, unless --force', async () => {
    const repo = tempTree({ 'pass': PASS, 'plain.pem': plain() });
    try {
      const keygen = ['keygen', '--passphrase-file', 'pass', '--out-dir', 'keys'];
      expect(await runCli(keygen, cliIo(repo.dir).handle)).toBe(0);
      const first = readFileSync(path.join(repo.dir, 'keys/signing-key.jwe'), 'utf8');
      await expect(runCli(keygen, cliIo(repo.dir).handle)).rejects.toThrow(/keys\/(jwks\.json|signing-key\.jwe) already exists.*--force/);
      expect(readFileSync(path.join(repo.dir, 'keys/signing-key.jwe'), 'utf8')).toBe(first);
      expect(await runCli([...keygen, '--force'], cliIo(repo.dir).handle)).toBe(0);
      expect(readFileSync(path.join(repo.dir, 'keys/signing-key.jwe'), 'utf8')).not.toBe(first);

      const encrypt = ['encrypt-key', '--key-file', 'plain.pem', '--passphrase-file', 'pass', '--output', 'out.jwe'];
      expect(await runCli(encrypt, cliIo(repo.dir).handle)).toBe(0);
      const once = readFileSync(path.join(repo.dir, 'out.jwe'), 'utf8');
      await expect(runCli(encrypt, cliIo(repo.dir).handle)).rejects.toThrow(/out\.jwe already exists.*--force/);
      expect(readFileSync(path.join(repo.dir, 'out.jwe'), 'utf8')).toBe(once);
      expect(await runCli([...encrypt, '--force'], cliIo(repo.dir).handle)).toBe(0);
      expect(existsSync(path.join(repo.dir, 'out.jwe'))).toBe(true);
    } finally {
      repo.cleanup();
    }
  });
});
