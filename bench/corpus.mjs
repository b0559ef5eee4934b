/**
 * Builds the benchmark tree (cached outside the repository): real-world text from the
 * installed npm packages, copied until it passes 200 MB, with keys and tokens
 * sprinkled in, a few binary files, one 50 MB log and one 20 MB minified file.
 * Writes manifest.json listing every sprinkled secret and where it is.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';

export const CORPUS_VERSION = 3;
const TARGET_BYTES = 200 * 1024 * 1024;
const SOURCES = ['typescript', 'eslint', '@vercel/ncc', 'ajv', 'jose', '@octokit', 'jest-runtime', '@babel', 'picomatch', 'ignore', 'jsonc-parser', 'typescript-eslint', '@typescript-eslint'];

function size(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

async function secrets(count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 4;
    if (kind === 0) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      out.push({ ruleId: 'private-key', text: privateKey.export({ type: 'pkcs8', format: 'pem' }) });
    } else if (kind === 1) {
      const { privateKey } = generateKeyPairSync('ed25519');
      out.push({ ruleId: 'private-key', text: JSON.stringify({ signing_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) }) });
    } else {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const token = await new SignJWT({ iss: 'https://id.bench.test', aud: 'api', sub: `u${i}`, iat: 1_800_000_000, exp: 1_800_003_600 })
        .setProtectedHeader({ alg: 'ES256', kid: `k${i}` })
        .sign(privateKey);
      out.push({ ruleId: 'committed-token', text: kind === 2 ? `const token = "${token}";` : `Authorization: Bearer ${token}` });
    }
  }
  return out;
}

export async function buildCorpus(root, nodeModules) {
  const marker = path.join(root, 'manifest.json');
  if (existsSync(marker) && JSON.parse(readFileSync(marker, 'utf8')).version === CORPUS_VERSION) return JSON.parse(readFileSync(marker, 'utf8'));
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  let copy = 0;
  while (size(root) < TARGET_BYTES) {
    for (const source of SOURCES) {
      const from = path.join(nodeModules, source);
      if (existsSync(from)) cpSync(from, path.join(root, `copy-${copy}`, source), { recursive: true, dereference: false });
    }
    copy++;
    if (copy > 20) break;
  }
  const manifest = { version: CORPUS_VERSION, secrets: [] };
  const planted = await secrets(40);
  planted.forEach((secret, i) => {
    const file = path.join('planted', `dir-${i % 7}`, `config-${i}.${['js', 'json', 'yaml', 'env'][i % 4]}`);
    mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(root, file), `// generated for the benchmark\n${'const x = 1;\n'.repeat(i * 3)}${secret.text}\n`);
    manifest.secrets.push({ file, ruleId: secret.ruleId });
  });
  // binary files, one of them with a key inside (binary content is not searched)
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  for (let i = 0; i < 5; i++) writeFileSync(path.join(root, 'assets', `blob-${i}.bin`), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), randomBytes(2 * 1024 * 1024)]));
  // a 50 MB log, with a key straddling the 8 MiB chunk boundary and a token near its end
  const log = path.join(root, 'logs', 'service.log');
  mkdirSync(path.dirname(log), { recursive: true });
  writeFileSync(log, '');
  const line = (n) => `2026-11-23T10:${String(n % 60).padStart(2, '0')}:00Z INFO request ${n} served in ${n % 97} ms path=/api/v1/items/${n}\n`;
  let written = 0;
  let n = 0;
  const keyForLog = (await secrets(1))[0].text;
  let keyPlaced = false;
  while (written < 50 * 1024 * 1024) {
    let chunk = '';
    while (chunk.length < 1024 * 1024) chunk += line(n++);
    if (!keyPlaced && written + chunk.length > 8 * 1024 * 1024 - 100) {
      const cut = 8 * 1024 * 1024 - 100 - written;
      chunk = chunk.slice(0, Math.max(0, cut)) + keyForLog + chunk.slice(Math.max(0, cut));
      keyPlaced = true;
    }
    appendFileSync(log, chunk);
    written += Buffer.byteLength(chunk);
  }
  const tokenForLog = (await secrets(3))[2].text;
  appendFileSync(log, `${tokenForLog}\n`);
  manifest.secrets.push({ file: 'logs/service.log', ruleId: 'private-key' }, { file: 'logs/service.log', ruleId: 'token-in-log' });
  // a 20 MB minified file: one very long line
  const tsLib = path.join(nodeModules, 'typescript', 'lib', 'typescript.js');
  const source = readFileSync(tsLib, 'utf8').replace(/\n\s*/g, ' ');
  let minified = '';
  while (minified.length < 20 * 1024 * 1024) minified += source;
  writeFileSync(path.join(root, 'dist-bundle.min.js'), minified.slice(0, 20 * 1024 * 1024));
  manifest.bytes = size(root);
  manifest.digest = createHash('sha256').update(JSON.stringify(manifest.secrets)).digest('hex').slice(0, 12);
  writeFileSync(marker, JSON.stringify(manifest, null, 2));
  return manifest;
}
