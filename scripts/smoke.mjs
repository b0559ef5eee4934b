#!/usr/bin/env node
// Runs both bundles under another Node.js binary, as a user and the runner would: the CLI
// on a tree with a key and on a clean one, the Action with a runner's files and inputs.
// .ci/run calls it with Node.js 22 (the oldest package.json's engines allow) and 24 (the
// Action's runs.using), fetched from the npm registry, because the test suite runs on
// whatever Node.js the machine has. Usage: node scripts/smoke.mjs /path/to/node
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const node = process.argv[2];
if (!node) throw new Error('usage: node scripts/smoke.mjs /path/to/node');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const work = mkdtempSync(path.join(tmpdir(), 'jwt-guard-smoke-'));
const failures = [];
const expect = (what, ok, detail) => {
  if (!ok) failures.push(`${what}${detail ? `: ${detail}` : ''}`);
};

try {
  const dirty = path.join(work, 'dirty');
  const clean = path.join(work, 'clean');
  mkdirSync(dirty);
  mkdirSync(clean);
  // The key is made here, at run time: nothing committed holds one.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(path.join(dirty, 'deploy.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }));
  writeFileSync(path.join(clean, 'README.md'), 'nothing here\n');
  // Source code the code checks parse (tree-sitter's WebAssembly, loaded by this runtime).
  writeFileSync(path.join(dirty, 'verify.py'), 'import jwt\nclaims = jwt.decode(t, options={"verify_signature": False})\n');
  const cli = (args, cwd) => spawnSync(node, [path.join(root, 'dist/cli/index.js'), ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, JWT_GUARD_THREADS: '2' } });

  const found = cli(['scan', '--format', 'json'], dirty);
  expect('cli: a committed key exits 1', found.status === 1, `exit ${found.status}, ${found.stderr.trim()}`);
  let rules = [];
  try {
    rules = JSON.parse(found.stdout).findings.map((f) => f.ruleId);
  } catch {
    expect('cli: the JSON report parses', false, found.stdout.slice(0, 200));
  }
  expect('cli: the key is a private-key finding', rules.includes('private-key'), rules.join(', '));
  expect('cli: the code checks parse Python', rules.includes('insecure-verification'), rules.join(', '));
  expect('cli: no report holds the key', !found.stdout.includes(privateKey.export({ format: 'pem', type: 'pkcs8' }).split('\n')[1]));
  const passed = cli(['scan'], clean);
  expect('cli: a clean tree exits 0', passed.status === 0, `exit ${passed.status}, ${passed.stderr.trim()}`);

  const runner = path.join(work, 'runner');
  mkdirSync(runner);
  const summary = path.join(runner, 'summary.md');
  const output = path.join(runner, 'output');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const action = spawnSync(node, [path.join(root, 'dist/action/index.js')], {
    cwd: dirty,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dirty, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, RUNNER_TEMP: runner, INPUT_SCOPE: 'tree' },
  });
  expect('action: a committed key fails the step', action.status === 1, `exit ${action.status}, ${action.stderr.trim().slice(0, 300)}`);
  expect('action: an error annotation on the key file', /^::error .*file=deploy\.pem/m.test(action.stdout), action.stdout.slice(0, 300));
  expect('action: the code checks run in the Action too', /^::warning .*insecure-verification.*file=verify\.py/m.test(action.stdout), action.stdout.slice(0, 300));
  expect('action: a job summary', readFileSync(summary, 'utf8').includes('private-key'));
  expect('action: the findings output', /^findings<</m.test(readFileSync(output, 'utf8')));
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  process.stderr.write(`smoke test on Node.js ${version} failed:\n${failures.map((f) => `  ${f}\n`).join('')}`);
  process.exit(1);
}
process.stdout.write(`smoke test on Node.js ${version}: the CLI and the Action bundles pass\n`);
