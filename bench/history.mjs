/**
 * Builds the benchmark's history repository (cached outside the repository): several
 * thousand commits of real-world text (the sources of installed npm packages, edited a
 * little in each commit), with keys and tokens added, and most of them removed again, at
 * known commits. Written with one `git fast-import`, so it builds in seconds.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';

export const HISTORY_VERSION = 1;
const COMMITS = 4000;
const FILES = 600;
const SOURCES = ['typescript/lib', 'eslint/lib', 'ajv/dist', 'jose/dist', '@octokit', 'jest-runtime', '@babel'];

function sourceFiles(nodeModules) {
  const files = [];
  for (const source of SOURCES) {
    const dir = path.join(nodeModules, source);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (files.length >= FILES) return files;
      const file = path.join(entry.parentPath ?? entry.path, entry.name);
      if (entry.isFile() && /\.(js|ts|md|json)$/.test(entry.name) && statSync(file).size < 200_000) files.push(file);
    }
  }
  return files;
}

export async function buildHistory(dir, nodeModules) {
  const manifestFile = path.join(dir, '..', 'history-manifest.json');
  if (existsSync(manifestFile) && existsSync(path.join(dir, '.git'))) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (manifest.version === HISTORY_VERSION) return manifest;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  const sources = sourceFiles(nodeModules).map((file, i) => ({ name: `src/${i}-${path.basename(file)}`, text: readFileSync(file, 'utf8') }));
  const secrets = [];
  const chunks = [];
  const data = (text) => {
    const bytes = Buffer.from(text);
    chunks.push(`data ${bytes.length}\n`, bytes, '\n');
  };
  let time = 1_700_000_000;
  const planted = new Map(); // commit index -> secret
  for (let i = 0; i < 24; i++) planted.set(100 + i * 160, i);
  for (let c = 1; c <= COMMITS; c++) {
    chunks.push(`commit refs/heads/main\nmark :${c}\nauthor b <b@example.invalid> ${time} +0000\ncommitter b <b@example.invalid> ${time} +0000\n`);
    data(`commit ${c}`);
    if (c > 1) chunks.push(`from :${c - 1}\n`);
    if (c === 1) for (const s of sources) {
      chunks.push(`M 100644 inline ${s.name}\n`);
      data(s.text);
    }
    else {
      for (let j = 0; j < 3; j++) {
        const s = sources[(c * 7 + j * 131) % sources.length];
        s.text += `\n// edit ${c}.${j}\n`;
        chunks.push(`M 100644 inline ${s.name}\n`);
        data(s.text);
      }
    }
    const secret = planted.get(c);
    if (secret !== undefined) {
      const file = `secrets/s${secret}.${secret % 2 === 0 ? 'pem' : 'txt'}`;
      let text;
      let ruleId;
      if (secret % 2 === 0) {
        text = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
        ruleId = 'private-key';
      } else {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        text = `token: ${await new SignJWT({ iss: 'https://id.bench.test', aud: 'api', iat: 1_800_000_000, exp: 1_800_003_600 }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey)}\n`;
        ruleId = 'committed-token';
      }
      chunks.push(`M 100644 inline ${file}\n`);
      data(text);
      secrets.push({ file, ruleId, commitIndex: c, removed: secret % 3 !== 0 });
    }
    // most secrets are removed 20 commits later: only history holds them
    for (const s of secrets) if (s.removed && s.commitIndex + 20 === c) chunks.push(`D ${s.file}\n`);
    time += 600;
  }
  const fast = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, input: Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), maxBuffer: 1 << 30 });
  if (fast.status !== 0) throw new Error(`fast-import failed: ${fast.stderr}`);
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir });
  execFileSync('git', ['gc', '-q'], { cwd: dir });
  const marks = execFileSync('git', ['rev-list', '--reverse', 'main'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
  for (const s of secrets) s.commit = marks[s.commitIndex - 1];
  const manifest = { version: HISTORY_VERSION, commits: COMMITS, secrets };
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return manifest;
}
