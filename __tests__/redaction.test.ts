/**
 * A scanner of secrets must never become a leak: a repository holding every kind of
 * key is scanned into every output, and no output may contain any secret's bytes in
 * any encoding (raw base64 bodies, base64, base64url, hex, JSON-escaped).
 */
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, type CliIo } from '../src/cli/cli.js';
import { runAction } from './helpers/action.js';
import * as k from './helpers/keys.js';
import { tempTree } from './helpers/scan.js';
import * as t from './helpers/tokens.js';

const rsa = k.keyPair({ type: 'rsa', bits: 2048 }, true).privateKey;
const ec = k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey;
const ed = k.keyPair({ type: 'ed25519' }, true).privateKey;
const dsa = k.keyPair({ type: 'dsa', bits: 2048 }, true).privateKey;
const octSecret = randomBytes(32);

const files: Record<string, string | Buffer> = {
  'pem/pkcs1.pem': k.pkcs1(rsa),
  'pem/sec1.pem': k.sec1(ec),
  'pem/pkcs8.pem': k.pkcs8(ed),
  'pem/dsa.pem': k.pkcs8(dsa),
  'pem/encrypted.pem': k.encryptedPkcs8(rsa),
  'pem/proc-type.pem': k.procTypeEncrypted(ec),
  'ssh/id_ed25519': k.openssh(ed),
  'ssh/id_rsa_protected': k.openssh(rsa, { encrypted: true }),
  'putty/key.ppk': k.ppk(ec, { version: 3 }),
  'putty/old.ppk': k.ppk(rsa, { version: 2 }),
  'pgp/secret.asc': k.pgpPrivateKey(rsa).armored,
  'jwk/jwks.json': JSON.stringify({ keys: [k.jwk(rsa), k.jwk(ec), k.jwk(ed), { kty: 'oct', k: octSecret.toString('base64url'), kid: 'hmac-1' }] }, null, 2),
  'config/settings.json': JSON.stringify({ signing: { privateKey: k.pkcs8(ec) } }),
  'deploy/.env': `KEY="${k.pkcs8(rsa).trimEnd().replace(/\n/g, '\\n')}"\n`,
  'app.log': `2026-11-23 loaded ${JSON.stringify(k.jwk(ed))}\n`,
  'deploy/bare.env': `PRIVATE_KEY=${(ec.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64')}\n`,
  'k8s/keystore.yaml': `data:\n  keystore.p12: ${k.pkcs12Store(rsa, 'changeit', ['-iter', '1']).toString('base64')}\n`,
  'certs/server.p12': k.pkcs12Store(ec, 'changeit', ['-iter', '1']),
  'src/keys.py': `KEY = {\n    # signing\n${Object.entries(k.jwk(rsa)).map(([name, value]) => `    "${name}": "${value}",`).join('\n')}\n}\n`,
  'jwk/akp.json': JSON.stringify({ kty: 'AKP', alg: 'ML-DSA-44', pub: randomBytes(1312).toString('base64url'), priv: randomBytes(32).toString('base64url') }),
};

const claimSecret = `hunter2-${randomBytes(6).toString('hex')}`;
const weakHmacSecret = 'sunshine';
const tokens = {
  committed: await t.es256(t.goodClaims({ db_password: claimSecret, email: 'ada@example.test' })),
  weak: await t.hmac(weakHmacSecret, t.goodClaims({ sub: '1042' })),
  logged: await t.es256(),
  url: await t.es256(t.goodClaims({ exp: undefined })),
  encrypted: await t.jwe(),
};
files['config/tokens.json'] = JSON.stringify({ service: tokens.committed, legacy: tokens.weak, encrypted: tokens.encrypted });
// A signing secret written into source code, found by hardcoded-secret (through a constant), in three languages.
const codeSecret = `s3cr3t-${randomBytes(9).toString('hex')}`;
files['src/auth.js'] = `const jwt = require('jsonwebtoken');\nconst SECRET = '${codeSecret}';\nexports.sign = (p) => jwt.sign(p, SECRET);\n`;
files['src/auth.py'] = `import jwt\ndef sign(p):\n    return jwt.encode(p, "${codeSecret}", algorithm="HS256")\n`;
files['src/Auth.java'] = `import com.auth0.jwt.algorithms.Algorithm;\nclass Auth { Algorithm a = Algorithm.HMAC256("${codeSecret}"); }\n`;
files['logs/requests.log'] = `GET /api Authorization: Bearer ${tokens.logged}\nGET https://app.example.test/cb?access_token=${tokens.url}\n`;

/** Every 24-character window (stride 6) of every base64 run in the fixtures, and the private members in other encodings. */
function needles(): string[] {
  const out = new Set<string>();
  for (const content of Object.values(files)) {
    const text = Buffer.isBuffer(content) ? content.toString('base64') : content;
    for (const run of text.replace(/\\n/g, '\n').match(/[A-Za-z0-9+/_-]{40,}/g) ?? []) {
      for (let i = 0; i + 24 <= run.length; i += 6) out.add(run.slice(i, i + 24));
    }
  }
  for (const key of [rsa, ec, ed]) {
    const jwk = k.jwk(key);
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
      const value = jwk[member];
      if (!value) continue;
      const bytes = Buffer.from(value, 'base64url');
      out.add(value.slice(0, 24));
      out.add(bytes.toString('base64').slice(0, 24));
      out.add(bytes.toString('hex').slice(0, 32));
      out.add(bytes.toString('hex').toUpperCase().slice(0, 32));
    }
  }
  out.add(claimSecret);
  out.add(weakHmacSecret);
  out.add(codeSecret);
  out.add(codeSecret.slice(0, 12));
  out.add('ada@example.test');
  out.add(octSecret.toString('hex'));
  out.add(octSecret.toString('base64').slice(0, 24));
  out.add(octSecret.toString('base64url').slice(0, 24));
  return [...out];
}

function leaks(output: string, list: string[]): string[] {
  return list.filter((needle) => output.includes(needle));
}

describe('redaction', () => {
  it('no output of any format holds any secret', async () => {
    const repo = tempTree(files, { git: true });
    const list = needles();
    expect(list.length).toBeGreaterThan(500);
    try {
      const outputs: Record<string, string> = {};
      for (const format of ['text', 'json', 'sarif']) {
        let out = '';
        const io: CliIo = { cwd: repo.dir, env: {}, stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, stdin: () => [] };
        await runCli(['scan', '--format', format, '--fail-on', 'none'], io);
        outputs[format] = out;
      }
      const io: CliIo = { cwd: repo.dir, env: {}, stdout: { write: () => true }, stderr: { write: () => true }, stdin: () => [] };
      await runCli(['scan', '--write-baseline', 'baseline.json'], io);
      outputs.baseline = readFileSync(path.join(repo.dir, 'baseline.json'), 'utf8');

      const action = runAction(repo.dir, { 'sarif-file': 'out.sarif' }, { RUNNER_DEBUG: '1' });
      outputs['action log with annotations and debug'] = action.stdout;
      outputs['job summary'] = action.summary;
      outputs['action outputs'] = JSON.stringify(action.outputs);
      outputs['action sarif'] = readFileSync(path.join(repo.dir, 'out.sarif'), 'utf8');

      // the scan really found every key and every token, with every token rule, so the outputs had every chance to leak
      const found = JSON.parse(outputs.json!).findings as Array<{ ruleId: string; file: string }>;
      const keyFiles = Object.keys(files).filter((f) => !f.startsWith('config/tokens') && !f.startsWith('logs/') && !/^src\/auth|^src\/Auth/.test(f));
      expect(found.filter((f) => f.ruleId === 'private-key').map((f) => f.file).sort()).toEqual([...keyFiles, 'jwk/jwks.json', 'jwk/jwks.json', 'jwk/jwks.json'].sort());
      expect(new Set(found.map((f) => f.ruleId))).toEqual(new Set(['private-key', 'weak-key', 'committed-token', 'token-in-log', 'token-in-url', 'token-lifetime', 'missing-claim', 'sensitive-claim', 'weak-secret', 'hardcoded-secret']));
      expect(found.filter((f) => f.ruleId === 'hardcoded-secret').map((f) => f.file).sort()).toEqual(['src/Auth.java', 'src/auth.js', 'src/auth.py']);
      for (const [name, output] of Object.entries(outputs)) {
        expect({ name, leaked: leaks(output, list) }).toEqual({ name, leaked: [] });
      }
    } finally {
      repo.cleanup();
    }
  });

  it('the check itself can fail: a leaking output is caught', () => {
    const list = needles();
    expect(leaks(`oops ${files['pem/sec1.pem']}`, list).length).toBeGreaterThan(0);
    expect(leaks(`oops ${Buffer.from(k.jwk(ec).d!, 'base64url').toString('hex')}`, list).length).toBeGreaterThan(0);
  });
});
