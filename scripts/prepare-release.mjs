#!/usr/bin/env node
// Prepares a release commit: the version in package.json, package-lock.json and
// src/version.ts, and CHANGELOG.md's "Unreleased" section under the version and today's date.
// Then run `npm run generate && npm run bundle`, commit, and start the release workflow
// (see docs/releasing.md). Usage: node scripts/prepare-release.mjs 1.2.3 [--root DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? path.resolve(args[rootAt + 1] ?? '.') : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--root');
const fail = (message) => {
  process.stderr.write(`prepare-release: ${message}\n`);
  process.exit(2);
};
if (!version || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) fail(`give the version to release as X.Y.Z (or X.Y.Z-rc.N), not '${version ?? ''}'`);

const file = (name) => path.join(root, name);
const pkg = JSON.parse(readFileSync(file('package.json'), 'utf8'));
const newer = (a, b) => {
  const parse = (v) => v.split(/[.-]/).slice(0, 3).map(Number);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return a.includes('-') ? false : b.includes('-');
};
if (!newer(version, pkg.version)) fail(`${version} is not newer than ${pkg.version}, the version package.json has`);

const changelog = readFileSync(file('CHANGELOG.md'), 'utf8');
if (!/^## Unreleased$/m.test(changelog)) fail("CHANGELOG.md has no '## Unreleased' section: write what the release changes there first");
const unreleased = changelog.slice(changelog.search(/^## Unreleased$/m)).split(/^## (?!Unreleased)/m)[0];
if (!/^- /m.test(unreleased)) fail("CHANGELOG.md's Unreleased section lists nothing: write what the release changes there first");

const today = new Date().toISOString().slice(0, 10);
const edits = [
  ['package.json', (t) => t.replace(/("version":\s*")[^"]+(")/, `$1${version}$2`)],
  // The lock names the package's version twice: at the top and as the root package.
  ['package-lock.json', (t) => t.replace(/^(\s{2}"version":\s*")[^"]+(")/m, `$1${version}$2`).replace(/("packages":\s*\{\s*"":\s*\{\s*"name":\s*"[^"]+",\s*"version":\s*")[^"]+(")/, `$1${version}$2`)],
  ['src/version.ts', (t) => t.replace(/(export const VERSION = ')[^']+(')/, `$1${version}$2`)],
  ['CHANGELOG.md', (t) => t.replace(/^## Unreleased$/m, `## Unreleased\n\n## ${version} (${today})`)],
];
// Everything is checked before anything is written: no half-prepared release.
const results = edits.map(([name, edit]) => {
  const before = readFileSync(file(name), 'utf8');
  const after = edit(before);
  if (after === before) fail(`${name}: found no version to change`);
  return [name, after];
});
for (const [name, text] of results) writeFileSync(file(name), text);
process.stdout.write(`prepared ${version}: now npm run generate && npm run bundle, commit, and run the release workflow with version ${version}\n`);
