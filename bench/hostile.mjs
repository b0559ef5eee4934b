/**
 * Builds the hostile tree (cached outside the repository): the files of
 * __tests__/reliability and the fail-closed issue, each built to make a scanner crash,
 * hang, exhaust memory or pass over a secret. The benchmark times a scan of it and checks
 * that every planted key is found and every gap reported.
 */
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

export const HOSTILE_VERSION = 2;

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ecKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const sec1 = () => ecKey().export({ type: 'sec1', format: 'pem' });

/** Writes `size` bytes of `piece` repeated, 1 MiB at a time, then `tail`. */
function writeRepeated(file, piece, size, tail = '') {
  const block = Buffer.from(piece.repeat(Math.ceil((1 << 20) / piece.length)).slice(0, 1 << 20));
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < size; written += block.length) writeSync(fd, block, 0, Math.min(block.length, size - written));
    if (tail) writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}

/** 20,000 distinct HS256 tokens, each signed with a random secret: the weak-secret screening's worst case. */
export function hsTokens(count = 20_000) {
  const lines = [];
  for (let i = 0; i < count; i++) {
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'https://id.bench.test', aud: 'api', sub: `u${i}`, iat: 1_800_000_000, exp: 1_800_003_600 })}`;
    lines.push(`${head}.${createHmac('sha256', randomBytes(32)).update(head).digest('base64url')}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The tree, and what a scan of it must report: `keys` (files whose private key must be
 * found) and `gaps` (files that must carry an incomplete-scan finding).
 */
export function buildHostile(dir) {
  const manifestFile = path.join(dir, '..', 'hostile-manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (manifest.version === HOSTILE_VERSION) return manifest;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = (name, content) => writeFileSync(path.join(dir, name), content);
  const jwk = ecKey().export({ format: 'jwk' });
  file('tokens-20k.txt', hsTokens());
  // Secrets that could be guessed, so each fingerprint digest is stretched (random ones cost a hash).
  file('oct-20k.json', Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ kty: 'oct', kid: `k${i}`, k: Buffer.from(`passphrase number ${i}`).toString('base64url') })).join('\n'));
  file('spread.txt', `${sec1()}${Array.from({ length: 125_000 }, (_, i) => `eyJhbGciOi${i}.x.y`).join('\n')}\n`);
  file('exp.txt', `${b64({ alg: 'HS256' })}.${b64({ iat: 1, exp: 1e20 })}.${'A'.repeat(43)}\n${sec1()}`);
  file('padded-jwk.json', JSON.stringify({ kty: jwk.kty, pad: 'x'.repeat(70_000), crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }));
  file('deep.json', `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
  file('deep-objects.json', `${'{"kty":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
  file('numbers.json', JSON.stringify({ keys: [{ kty: 'RSA', n: 1, e: 65537, d: 1 }] }).replace(/:1([,}])/g, `:${'9'.repeat(5000)}$1`));
  file('big-body.pem', `-----BEGIN RSA PRIVATE KEY-----\n${'QUJD'.repeat(2_600_000)}\n-----END RSA PRIVATE KEY-----\n`);
  file('garbage.pem', `-----BEGIN PRIVATE KEY-----\n${Buffer.from('not a key at all, just words '.repeat(40)).toString('base64')}\n-----END PRIVATE KEY-----\n`);
  file('latin1.txt', Buffer.from([0x6b, 0x74, 0x79, 0xff, 0xfe, 0xc3, 0x28, 0x65, 0x79, 0x4a, 0xa0, 0xa1]));
  file('lone-begins.txt', '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(200_000));
  writeRepeated(path.join(dir, 'one-line.txt'), 'abcdefgh', 100 << 20, ` ${sec1().replace(/\n/g, '\\n')}`);
  const fd = openSync(path.join(dir, 'sparse.img'), 'w');
  ftruncateSync(fd, 1 << 30);
  closeSync(fd);
  file('real.pem', sec1());
  const manifest = {
    version: HOSTILE_VERSION,
    keys: ['spread.txt', 'exp.txt', 'one-line.txt', 'real.pem'],
    gaps: ['tokens-20k.txt', 'oct-20k.json', 'padded-jwk.json', 'deep-objects.json'],
    tokens: { file: 'tokens-20k.txt', count: 20_000 },
  };
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return manifest;
}
