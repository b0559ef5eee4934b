/**
 * Builds the fixture-dense tree (cached outside the repository): as dense in keys and
 * tokens as a JOSE library's test suite. About 13 MB in ~650 files: 9,000 JWTs (3,600 of
 * them HS256/384/512 with random secrets, the weak-secret screening's real load, and a few
 * signed with well-known secrets), 3,500 JWKs (1,000 of them symmetric) and 375 PEM keys,
 * in JSON vectors, JWKS files, PEM files, token lists and JavaScript tests that import
 * jose (so the code checks parse them). What a scan must report is in the manifest:
 * `weak` (files holding a token signed with a well-known secret) and `keys` (counts).
 */
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DENSE_VERSION = 1;

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A pool of key pairs of one kind (RSA is slow to generate, so its pool is small and its keys recur, as in real suites). */
function pool(count, type, options) {
  return Array.from({ length: count }, () => generateKeyPairSync(type, options));
}

const ALGS = {
  RS256: { sign: (key, data) => sign('sha256', data, key) },
  PS256: { sign: (key, data) => sign('sha256', data, { key, padding: 6, saltLength: 32 }) },
  ES256: { sign: (key, data) => sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }) },
  ES384: { sign: (key, data) => sign('sha384', data, { key, dsaEncoding: 'ieee-p1363' }) },
  EdDSA: { sign: (key, data) => sign(null, data, key) },
};
const HS = { HS256: ['sha256', 32], HS384: ['sha384', 48], HS512: ['sha512', 64] };

function claims(i) {
  return { iss: `https://op.dense.test/${i % 17}`, aud: ['api', 'rp'][i % 2], sub: `user-${i}`, iat: 1_700_000_000 + i, exp: 1_700_003_600 + i, nonce: randomBytes(6).toString('hex') };
}

function jws(alg, key, i, extraHeader = {}) {
  const head = `${b64({ alg, typ: 'JWT', ...extraHeader })}.${b64(claims(i))}`;
  if (HS[alg]) return `${head}.${createHmac(HS[alg][0], key).update(head).digest('base64url')}`;
  if (alg === 'none') return `${head}.`;
  return `${head}.${ALGS[alg].sign(key, Buffer.from(head)).toString('base64url')}`;
}

export function buildDense(dir) {
  const manifestFile = path.join(dir, '..', 'dense-manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (manifest.version === DENSE_VERSION && existsSync(dir)) return manifest;
  }
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['test', 'vectors', 'jwks', 'keys', 'tokens']) mkdirSync(path.join(dir, sub), { recursive: true });
  const write = (name, content) => writeFileSync(path.join(dir, name), content);

  const rsa = pool(24, 'rsa', { modulusLength: 2048 });
  const ec256 = pool(700, 'ec', { namedCurve: 'P-256' });
  const ec384 = pool(250, 'ec', { namedCurve: 'P-384' });
  const ed = pool(800, 'ed25519');
  const signer = { RS256: rsa, PS256: rsa, ES256: ec256, ES384: ec384, EdDSA: ed };

  // 9,000 tokens: 3,600 HS* with random secrets (12 with well-known ones), the rest asymmetric, 60 unsecured.
  const tokens = [];
  const weak = [];
  const mix = [['HS256', 2400], ['HS384', 600], ['HS512', 600], ['RS256', 1900], ['PS256', 600], ['ES256', 1700], ['ES384', 400], ['EdDSA', 740], ['none', 60]];
  let i = 0;
  for (const [alg, count] of mix) {
    for (let n = 0; n < count; n++, i++) {
      const key = HS[alg] ? randomBytes(HS[alg][1]) : alg === 'none' ? undefined : signer[alg][i % signer[alg].length].privateKey;
      tokens.push(jws(alg, key, i));
    }
  }
  const WELL_KNOWN = ['secret', 'your-256-bit-secret', 'shhhhh', 'keyboard cat'];
  const weakTokens = Array.from({ length: 12 }, (_, n) => jws('HS256', Buffer.from(WELL_KNOWN[n % WELL_KNOWN.length]), 100_000 + n));
  // Interleave, so each file holds a mix as real vectors do.
  const shuffled = tokens.map((t, k) => [(k * 7919) % tokens.length, t]).sort((a, b) => a[0] - b[0]).map(([, t]) => t);

  // 3,500 JWKs: RSA (public and private forms of the pool, recurring), EC, OKP, and 1,000 oct.
  const jwks = [];
  const kid = (n) => `key-${n}`;
  for (let n = 0; n < 400; n++) {
    const pair = rsa[n % rsa.length];
    const jwk = (n % 2 ? pair.privateKey : pair.publicKey).export({ format: 'jwk' });
    jwks.push({ ...jwk, kid: kid(jwks.length), alg: 'RS256', use: 'sig' });
  }
  for (const pair of [...ec256.slice(0, 650), ...ec384.slice(0, 200)]) jwks.push({ ...(jwks.length % 3 ? pair.publicKey : pair.privateKey).export({ format: 'jwk' }), kid: kid(jwks.length) });
  for (const pair of ed.slice(0, 750)) jwks.push({ ...(jwks.length % 3 ? pair.publicKey : pair.privateKey).export({ format: 'jwk' }), kid: kid(jwks.length), alg: 'EdDSA' });
  while (jwks.length < 2500) jwks.push({ ...ec256[jwks.length % ec256.length].publicKey.export({ format: 'jwk' }), kid: kid(jwks.length), use: 'enc' });
  for (let n = 0; n < 1000; n++) jwks.push({ kty: 'oct', kid: kid(jwks.length), alg: ['HS256', 'HS384', 'HS512', 'A256KW'][n % 4], k: randomBytes([32, 48, 64, 32][n % 4]).toString('base64url') });

  // 375 PEM keys: PKCS#8, PKCS#1, SEC1 and SPKI, private and public.
  const pems = [];
  for (let n = 0; n < 375; n++) {
    const kind = n % 5;
    if (kind === 0) pems.push(rsa[n % rsa.length].privateKey.export({ type: n % 2 ? 'pkcs1' : 'pkcs8', format: 'pem' }));
    else if (kind === 1) pems.push(rsa[n % rsa.length].publicKey.export({ type: 'spki', format: 'pem' }));
    else if (kind === 2) pems.push(ec256[n].privateKey.export({ type: 'sec1', format: 'pem' }));
    else if (kind === 3) pems.push(ed[n].privateKey.export({ type: 'pkcs8', format: 'pem' }));
    else pems.push(ec384[n % ec384.length].publicKey.export({ type: 'spki', format: 'pem' }));
  }

  // Files. Vectors: JSON arrays of { token, key } cases (5,000 tokens, 1,500 JWKs).
  let t = 0;
  let k = 0;
  const take = (list, cursor, n) => list.slice(cursor, cursor + n);
  for (let f = 0; f < 250; f++) {
    const cases = take(shuffled, t, 20).map((token, n) => ({ name: `case ${f}.${n}`, token, ...(n % 3 === 0 && k < 1500 ? { key: jwks[k++] } : {}), expect: n % 4 ? 'valid' : 'invalid' }));
    t += 20;
    write(`vectors/vectors-${f}.json`, `${JSON.stringify({ description: `vectors ${f}`, cases }, null, 2)}\n`);
  }
  // JWKS files: the next 1,500 JWKs, 10 per file.
  for (let f = 0; f < 150; f++) write(`jwks/jwks-${f}.json`, `${JSON.stringify({ keys: take(jwks, 1500 + f * 10, 10) }, null, 2)}\n`);
  // The last 500 JWKs in the JavaScript tests below, with 2,000 tokens; the rest of the tokens in plain lists.
  for (let f = 0; f < 75; f++) write(`keys/key-${f}.pem`, pems.slice(f * 5, f * 5 + 5).join('\n'));
  const lists = take(shuffled, t, 2000);
  t += 2000;
  for (let f = 0; f < 50; f++) write(`tokens/tokens-${f}.txt`, `${lists.slice(f * 40, f * 40 + 40).join('\n')}\n`);
  for (let f = 0; f < 100; f++) {
    const body = [`import { jwtVerify, importJWK, decodeJwt } from 'jose';`, `import { strict as assert } from 'node:assert';`, ''];
    for (let n = 0; n < 20; n++) {
      const token = shuffled[t++];
      const jwk = jwks[3000 + ((f * 20 + n) % 500)];
      body.push(
        `describe('vector ${f}.${n}', () => {`,
        `  const token = '${token}';`,
        `  const jwk = ${JSON.stringify(jwk)};`,
        `  it('decodes the claims', () => {`,
        `    const claims = decodeJwt(token);`,
        `    assert.equal(typeof claims.sub, 'string');`,
        `    assert.ok(claims.exp > claims.iat, 'exp after iat');`,
        `  });`,
        `  it('verifies or rejects with the key', async () => {`,
        `    const key = await importJWK(jwk, jwk.alg ?? 'ES256').catch(() => undefined);`,
        `    if (!key) return;`,
        `    await jwtVerify(token, key, { algorithms: [jwk.alg ?? 'ES256'], issuer: /^https:/.test(token) ? undefined : 'https://op.dense.test/1' }).catch((error) => assert.ok(error instanceof Error));`,
        `  });`,
        `});`,
        '',
      );
    }
    write(`test/vectors-${f}.test.js`, `${body.join('\n')}\n`);
  }
  // The well-known-secret tokens, one per file among the vectors.
  weakTokens.forEach((token, n) => {
    const name = `vectors/weak-${n}.json`;
    write(name, `${JSON.stringify({ description: 'a token signed with a tutorial secret', token }, null, 2)}\n`);
    weak.push(name);
  });
  // Filler: test helpers without keys or tokens, to the size of a real suite.
  const helper = Array.from({ length: 400 }, (_, n) => `export function helper${n}(claims, options = {}) {\n  const now = Math.floor(Date.now() / 1000);\n  return { ...claims, iat: options.iat ?? now, exp: (options.iat ?? now) + ${60 + n}, jti: \`jti-${n}-\${now}\` };\n}\n`).join('\n');
  for (let f = 0; f < 60; f++) write(`test/helpers-${f}.js`, helper);
  const hsTokens = mix.filter(([alg]) => HS[alg]).reduce((sum, [, count]) => sum + count, 0) + weakTokens.length;
  const bytes = Number(execFileSync('du', ['-sb', dir]).toString().split('\t')[0]);
  const manifest = { version: DENSE_VERSION, bytes, tokens: tokens.length + weakTokens.length, hsTokens, jwks: jwks.length, octJwks: 1000, pems: pems.length, weak };
  if (t > shuffled.length || k > 1500) throw new Error('dense: more tokens or keys taken than made');
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(buildDense(process.argv[2] ?? path.join(process.cwd(), 'dense')));
