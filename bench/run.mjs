#!/usr/bin/env node
/**
 * npm run bench: times jwt-guard's full scan of the benchmark tree against ripgrep
 * searching the same markers, and secretlint's recommended preset where it runs.
 * jwt-guard and ripgrep run in turns (BENCH_RUNS each, median), so that a noisy machine
 * slows both alike; wall time, MB/s, peak memory (max RSS), ratios. Checks that
 * jwt-guard found every planted secret, and the same findings with one thread. Then the
 * hostile tree (bench/hostile.mjs): wall time and peak memory of a scan of it, every key
 * found and every gap reported, and 20,000 HS256 tokens in one file, every one reported.
 * Then the history repository (bench/history.mjs): a full-history scan against the floor
 * of reading every blob once (git cat-file --batch-all-objects --batch | rg) and the
 * diff-based way (git log -p --all | rg), every planted secret found and attributed,
 * and --range over one commit. Then the code checks (insecure-verification,
 * hardcoded-secret): the size of their WebAssembly, the start-up a first source file
 * adds, and what they add to the bench tree and (with JWT_GUARD_BENCH_SOURCES=DIR, a tree
 * of real source code that uses JWT libraries) to real code: each scan with the two rules
 * on and off, in turns. The fixture-dense tree (bench/dense.mjs): as dense in keys and
 * tokens as a JOSE library's test suite, every check on, against the bench tree's time;
 * with weak-secret off too, for what its screening costs per HS* token.
 * BENCH_ONLY=tree, dense, hostile, history or code runs one part.
 * Writes bench/results.json (the parts run).
 * Numbers are for people, not a test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCorpus } from './corpus.mjs';
import { buildHostile } from './hostile.mjs';
import { buildHistory } from './history.mjs';
import { buildDense } from './dense.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const cache = process.env.JWT_GUARD_BENCH_DIR || path.join(os.homedir(), '.cache', 'jwt-guard-bench');
const corpus = path.join(cache, 'corpus');
const runs = Number(process.env.BENCH_RUNS || 9);
const cli = path.join(repo, 'dist', 'cli', 'index.js');
const policyFile = path.join(cache, 'policy.json');
mkdirSync(cache, { recursive: true });
writeFileSync(policyFile, JSON.stringify({ files: { exclude: [], maxFileSize: '100MB' } }));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * NODE_EXTRA_CA_CERTS makes every Node.js process parse a certificate bundle at start
 * (80 ms on the bench machine, whose sandbox sets it); runners and most machines do not
 * set it, and jwt-guard opens no TLS connection in a scan, so commands run without it.
 */
const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...cleanEnv } = process.env;
if (extraCaCerts) console.log('bench: NODE_EXTRA_CA_CERTS is set here; commands run without it (it costs every Node.js start a certificate bundle)');

/** Runs a command under /usr/bin/time -v when available, for the peak RSS. */
function timed(command, args, options = {}) {
  options = { ...options, env: { ...cleanEnv, ...options.env } };
  delete options.env.NODE_EXTRA_CA_CERTS;
  const useTime = existsSync('/usr/bin/time');
  const started = process.hrtime.bigint();
  const child = useTime
    ? spawnSync('/usr/bin/time', ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options })
    : spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = useTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1] ?? 0) / 1024 : undefined;
  return { seconds, rssMb: rss, status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function summarize(name, samples) {
  return { name, seconds: median(samples.map((s) => s.seconds)), rssMb: median(samples.map((s) => s.rssMb ?? 0)), last: samples.at(-1) };
}

function measure(name, command, args, options) {
  return summarize(name, Array.from({ length: runs }, () => timed(command, args, options)));
}

/** Runs the commands in turns, `runs` times each: a slow spell on the machine falls on all of them. */
function alternate(commands) {
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) commands.forEach(({ command, args, options }, k) => samples[k].push(timed(command, args, options)));
  return commands.map(({ name }, k) => summarize(name, samples[k]));
}

/**
 * The keywords jwt-guard's detectors start from, read from the source (each detector in
 * src/detect/ declares `keywords: [...]`). ripgrep searches all of them and, with
 * --count, reads every file to its end, as jwt-guard does (a file may hold several
 * secrets), rather than stopping at a file's first match.
 */
const detectDir = path.join(repo, 'src', 'detect');
const MARKERS = readdirSync(detectDir)
  .filter((file) => file.endsWith('.ts'))
  .flatMap((file) => [...readFileSync(path.join(detectDir, file), 'utf8').matchAll(/^\s*keywords: \[([^\]]*)\]/gm)].flatMap((m) => [...m[1].matchAll(/'([^']*)'/g)].map((k) => k[1])));
if (MARKERS.length === 0) throw new Error('bench: no detector keywords found in src/detect/');
let hasRipgrep = true;
try {
  execFileSync('rg', ['--version'], { stdio: 'ignore' });
} catch {
  hasRipgrep = false;
}

const only = process.env.BENCH_ONLY;
const previous = existsSync(path.join(repo, 'bench', 'results.json')) ? JSON.parse(readFileSync(path.join(repo, 'bench', 'results.json'), 'utf8')) : {};
let results = { ...previous, machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version } };
if (!only || only === 'tree') await benchTree();
if (!only || only === 'dense') benchDense();
if (!only || only === 'hostile') benchHostile();
if (!only || only === 'history') await benchHistory();
if (!only || only === 'code') benchCode();
writeFileSync(path.join(repo, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('written to bench/results.json');

async function benchTree() {
const manifest = await buildCorpus(corpus, path.join(repo, 'node_modules'));
const files = Number(execFileSync('sh', ['-c', `find "${corpus}" -type f | wc -l`]).toString().trim());
const mb = manifest.bytes / 1024 / 1024;
console.log(`corpus: ${files} files, ${mb.toFixed(0)} MB, ${manifest.secrets.length} planted secrets (${corpus})`);

results = { ...results, corpus: { files, megabytes: Math.round(mb) }, tools: {} };

const guardArgs = [cli, 'scan', corpus, '--policy', policyFile, '--format', 'json', '--fail-on', 'none'];
const rgArgs = ['--count', '--no-ignore', '--hidden', ...MARKERS.flatMap((m) => ['-e', m]), corpus];
const [guard, rg] = alternate([
  { name: 'jwt-guard', command: process.execPath, args: guardArgs },
  ...(hasRipgrep ? [{ name: 'ripgrep', command: 'rg', args: rgArgs }] : []),
]);
const report = JSON.parse(guard.last.stdout);
const found = new Set(report.findings.map((f) => `${f.file}\u0000${f.ruleId}`));
const missed = manifest.secrets.filter((s) => !found.has(`${s.file}\u0000${s.ruleId}`));
results.tools['jwt-guard'] = { seconds: guard.seconds, mbPerSecond: mb / guard.seconds, peakRssMb: guard.rssMb, findings: report.findings.length, missedPlanted: missed.length };
console.log(`jwt-guard: ${guard.seconds.toFixed(2)} s, ${(mb / guard.seconds).toFixed(0)} MB/s, peak ${guard.rssMb?.toFixed(0)} MB, ${report.findings.length} findings, planted found ${manifest.secrets.length - missed.length}/${manifest.secrets.length}`);
for (const m of missed) console.log(`  MISSED ${m.ruleId} in ${m.file}`);

const single = timed(process.execPath, guardArgs, { env: { JWT_GUARD_THREADS: '1' } });
const singleFindings = JSON.parse(single.stdout).findings.map((f) => f.fingerprint).sort();
const same = JSON.stringify(singleFindings) === JSON.stringify(report.findings.map((f) => f.fingerprint).sort());
results.tools['jwt-guard (1 thread)'] = { seconds: single.seconds, sameFindings: same };
console.log(`jwt-guard, one thread: ${single.seconds.toFixed(2)} s, same findings: ${same}`);

if (rg) {
  results.tools.ripgrep = { seconds: rg.seconds, mbPerSecond: mb / rg.seconds, peakRssMb: rg.rssMb, markers: MARKERS };
  results.ratioToRipgrep = guard.seconds / rg.seconds;
  console.log(`ripgrep (the same ${MARKERS.length} markers, every file read to its end): ${rg.seconds.toFixed(2)} s, ${(mb / rg.seconds).toFixed(0)} MB/s; jwt-guard/ripgrep = ${results.ratioToRipgrep.toFixed(2)}x`);
} else {
  console.log('ripgrep: not installed (Debian: apt-get install ripgrep); skipped');
}

const secretlintDir = path.join(cache, 'secretlint');
if (!process.env.BENCH_SKIP_SECRETLINT) {
  try {
    if (!existsSync(path.join(secretlintDir, 'node_modules', '.bin', 'secretlint'))) {
      execFileSync('npm', ['install', '--prefix', secretlintDir, '--no-audit', '--no-fund', 'secretlint@13', '@secretlint/secretlint-rule-preset-recommend@13'], { stdio: 'ignore' });
    }
    writeFileSync(path.join(secretlintDir, '.secretlintrc.json'), JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
    const timeout = Number(process.env.BENCH_SECRETLINT_TIMEOUT || 600) * 1000;
    const sl = timed(path.join(secretlintDir, 'node_modules', '.bin', 'secretlint'), ['--secretlintrc', path.join(secretlintDir, '.secretlintrc.json'), '--maskSecrets', `${corpus}/**/*`], { cwd: secretlintDir, timeout });
    const finished = sl.seconds * 1000 < timeout;
    results.tools.secretlint = { seconds: sl.seconds, finished, peakRssMb: sl.rssMb };
    results.ratioFromSecretlint = sl.seconds / guard.seconds;
    console.log(`secretlint (recommended preset, one run): ${finished ? '' : 'did not finish in '}${sl.seconds.toFixed(1)} s; secretlint/jwt-guard = ${results.ratioFromSecretlint.toFixed(1)}x${finished ? '' : ' at least'}`);
  } catch (error) {
    console.log(`secretlint: could not run (${error.message.split('\n')[0]})`);
  }
}

// A small repository: 40 source files and a README in git, scanned from its root with the built-in policy.
const smallDir = path.join(cache, 'small-repo');
if (!existsSync(path.join(smallDir, '.git'))) {
  mkdirSync(smallDir, { recursive: true });
  for (let i = 0; i < 40; i++) writeFileSync(path.join(smallDir, `module${i}.js`), `export function handler${i}(request) {\n  return { status: 200, body: request.body ?? ${i} };\n}\n`);
  writeFileSync(path.join(smallDir, 'README.md'), '# A small service\n');
  execFileSync('sh', ['-c', 'git init -q && git add -A && git -c user.name=bench -c user.email=bench@example.test commit -qm init'], { cwd: smallDir });
}
const small = measure('small repository', process.execPath, [path.join(repo, 'dist', 'cli', 'bin.js'), 'scan', '--fail-on', 'none'], { cwd: smallDir });
const own = measure('this repository', process.execPath, [cli, 'scan', repo, '--fail-on', 'none']);
results.smallRepository = { seconds: small.seconds, what: '41 files in git, the installed command (dist/cli/bin.js), process start included', target: '<= 0.25 s' };
results.thisRepository = { seconds: own.seconds, what: "this repository (its TypeScript imports jose, so it is parsed), process start included" };
console.log(`small repository (41 files), process start included: ${small.seconds.toFixed(2)} s (target <= 0.25 s); this repository: ${own.seconds.toFixed(2)} s`);
}

/** The fixture-dense tree: every check on, nothing incomplete, every planted weak secret found; and what screening costs per token. */
function benchDense() {
  const dir = path.join(cache, 'dense');
  const manifest = buildDense(dir);
  const noScreen = path.join(cache, 'policy-no-weak-secret.json');
  writeFileSync(noScreen, JSON.stringify({ files: { exclude: [], maxFileSize: '100MB' }, rules: { 'weak-secret': 'off' } }));
  const args = (policy) => [cli, 'scan', dir, '--policy', policy, '--format', 'json', '--fail-on', 'none'];
  const [all, without] = alternate([
    { name: 'dense', command: process.execPath, args: args(policyFile) },
    { name: 'dense, weak-secret off', command: process.execPath, args: args(noScreen) },
  ]);
  const findings = JSON.parse(all.last.stdout).findings;
  const incomplete = findings.filter((f) => f.ruleId === 'incomplete-scan').length;
  const weakFound = manifest.weak.filter((file) => findings.some((f) => f.file === file && f.ruleId === 'weak-secret')).length;
  const single = timed(process.execPath, args(policyFile), { env: { JWT_GUARD_THREADS: '1' } });
  const same = JSON.stringify(JSON.parse(single.stdout).findings.map((f) => f.fingerprint).sort()) === JSON.stringify(findings.map((f) => f.fingerprint).sort());
  const { hsTokens } = manifest;
  const megabytes = Math.round(manifest.bytes / 2 ** 20);
  const tree = results.tools?.['jwt-guard']?.seconds;
  results.dense = {
    megabytes,
    tokens: manifest.tokens,
    jwks: manifest.jwks,
    pems: manifest.pems,
    seconds: all.seconds,
    peakRssMb: all.rssMb,
    oneThreadSeconds: single.seconds,
    sameFindings: same,
    findings: findings.length,
    incompleteScan: incomplete,
    weakSecretsFound: `${weakFound}/${manifest.weak.length}`,
    weakSecretOffSeconds: without.seconds,
    screeningMsPerToken: ((all.seconds - without.seconds) * 1000) / hsTokens,
    ...(tree ? { ratioToBenchTree: all.seconds / tree } : {}),
    target: 'dense tree <= 3x the bench tree, every check on, nothing incomplete',
  };
  console.log(`dense tree (${manifest.tokens} tokens, ${manifest.jwks} JWKs, ${manifest.pems} PEM keys, ${megabytes} MB): ${all.seconds.toFixed(2)} s, peak ${all.rssMb?.toFixed(0)} MB, ${findings.length} findings, ${incomplete} incomplete-scan, weak secrets found ${results.dense.weakSecretsFound}; one thread ${single.seconds.toFixed(2)} s, same findings: ${same}`);
  console.log(`  weak-secret off: ${without.seconds.toFixed(2)} s, so screening costs ${results.dense.screeningMsPerToken.toFixed(2)} ms of wall time per HS* token${tree ? `; dense/bench tree = ${results.dense.ratioToBenchTree.toFixed(1)}x (target <= 3x)` : ''}`);
}

/** The hostile tree: bounded time and memory, nothing missed, every gap said; and the 20,000-token file alone. */
function benchHostile() {
  const dir = path.join(cache, 'hostile');
  const hostile = buildHostile(dir);
  const scanArgs = (target) => [cli, 'scan', target, '--format', 'json', '--fail-on', 'none'];
  const whole = timed(process.execPath, scanArgs(dir));
  const report = JSON.parse(whole.stdout);
  const has = (file, ruleId) => report.findings.some((f) => f.file === file && f.ruleId === ruleId);
  const missedKeys = hostile.keys.filter((file) => !has(file, 'private-key'));
  const missedGaps = hostile.gaps.filter((file) => !has(file, 'incomplete-scan'));
  const tokens = timed(process.execPath, scanArgs(path.join(dir, hostile.tokens.file)));
  const reported = JSON.parse(tokens.stdout).findings.filter((f) => f.ruleId === 'committed-token').length;
  results.hostile = {
    seconds: whole.seconds,
    peakRssMb: whole.rssMb,
    keysFound: `${hostile.keys.length - missedKeys.length}/${hostile.keys.length}`,
    gapsReported: `${hostile.gaps.length - missedGaps.length}/${hostile.gaps.length}`,
    exitStatus: whole.status,
    hs256TokensInOneFile: { tokens: hostile.tokens.count, seconds: tokens.seconds, peakRssMb: tokens.rssMb, reported },
    targets: 'hostile tree <= 60 s and <= 250 MB; 20,000 HS256 tokens in one file <= 5 s, every one reported',
  };
  console.log(`hostile tree: ${whole.seconds.toFixed(1)} s, peak ${whole.rssMb?.toFixed(0)} MB, keys found ${results.hostile.keysFound}, gaps reported ${results.hostile.gapsReported}, exit ${whole.status}`);
  for (const file of missedKeys) console.log(`  MISSED private-key in ${file}`);
  for (const file of missedGaps) console.log(`  NO incomplete-scan for ${file}`);
  console.log(`20,000 HS256 tokens in one file: ${tokens.seconds.toFixed(2)} s, peak ${tokens.rssMb?.toFixed(0)} MB, ${reported} reported`);
}

/** The history repository: a full-history scan against reading every blob once, and against diffing every commit. */
async function benchHistory() {
  const dir = path.join(cache, 'history');
  const manifest = await buildHistory(dir, path.join(repo, 'node_modules'));
  const markers = MARKERS.map((m) => `-e '${m.replace(/'/g, "'\\''")}'`).join(' ');
  const shell = (command) => ({ command: 'sh', args: ['-c', command], options: { cwd: dir } });
  const commands = [
    { name: 'jwt-guard --history', command: process.execPath, args: [cli, 'scan', '--history', '--format', 'json', '--fail-on', 'none'], options: { cwd: dir } },
    ...(hasRipgrep
      ? [
          { name: 'cat-file | rg', ...shell(`git cat-file --batch-all-objects --batch | rg -c ${markers}`) },
          { name: 'log -p | rg', ...shell(`git log -p --all | rg -c ${markers}`) },
        ]
      : []),
  ];
  const [guard, floor, diff] = alternate(commands);
  const findings = JSON.parse(guard.last.stdout).findings;
  const missed = manifest.secrets.filter((s) => !findings.some((f) => f.file === s.file && f.ruleId === s.ruleId && f.commit?.introducedBy === s.commit));
  const range = measure('range', process.execPath, [cli, 'scan', '--range', 'HEAD~1..HEAD', '--fail-on', 'none'], { cwd: dir });
  const blobs = Number(execFileSync('sh', ['-c', 'git cat-file --batch-all-objects --batch-check | grep -c " blob "'], { cwd: dir }).toString().trim());
  results.history = {
    commits: manifest.commits,
    blobs,
    seconds: guard.seconds,
    peakRssMb: guard.rssMb,
    planted: `${manifest.secrets.length - missed.length}/${manifest.secrets.length} found and attributed`,
    rangeOneCommitSeconds: range.seconds,
    ...(floor ? { catFileRipgrepSeconds: floor.seconds, ratioToCatFile: guard.seconds / floor.seconds } : {}),
    ...(diff ? { logPatchRipgrepSeconds: diff.seconds, ratioToLogPatch: guard.seconds / diff.seconds } : {}),
    targets: 'full history <= 2x cat-file | rg and faster than log -p | rg; --range over one commit < 0.3 s; memory bounded by the largest blob',
  };
  console.log(`history (${manifest.commits} commits, ${blobs} blobs): jwt-guard ${guard.seconds.toFixed(2)} s, peak ${guard.rssMb?.toFixed(0)} MB, planted ${results.history.planted}`);
  for (const m of missed) console.log(`  MISSED ${m.ruleId} in ${m.file} at ${m.commit}`);
  if (floor) console.log(`  git cat-file --batch-all-objects --batch | rg: ${floor.seconds.toFixed(2)} s; jwt-guard/that = ${results.history.ratioToCatFile.toFixed(2)}x (target <= 2x)`);
  if (diff) console.log(`  git log -p --all | rg: ${diff.seconds.toFixed(2)} s; jwt-guard/that = ${results.history.ratioToLogPatch.toFixed(2)}x (target < 1x)`);
  console.log(`  --range over one commit: ${range.seconds.toFixed(2)} s (target < 0.3 s)`);
}

/** The code checks: what they cost where there is code to parse and where there is none. */
function benchCode() {
  const grammars = path.join(repo, 'dist', 'grammars');
  const wasmBytes = readdirSync(grammars).filter((f) => f.endsWith('.wasm')).reduce((sum, f) => sum + readFileSync(path.join(grammars, f)).length, 0);
  const off = path.join(cache, 'policy-code-off.json');
  writeFileSync(off, JSON.stringify({ files: { exclude: [], maxFileSize: '100MB' }, rules: { 'insecure-verification': 'off', 'hardcoded-secret': 'off' } }));
  const pair = (name, target, extra = []) => {
    const [on, without] = alternate([
      { name: `${name}, code checks on`, command: process.execPath, args: [cli, 'scan', target, '--policy', policyFile, '--format', 'json', '--fail-on', 'none', ...extra] },
      { name: `${name}, code checks off`, command: process.execPath, args: [cli, 'scan', target, '--policy', off, '--format', 'json', '--fail-on', 'none', ...extra] },
    ]);
    const findings = JSON.parse(on.last.stdout).findings.filter((f) => f.ruleId === 'insecure-verification' || f.ruleId === 'hardcoded-secret').length;
    return { onSeconds: on.seconds, offSeconds: without.seconds, addedPercent: ((on.seconds / without.seconds - 1) * 100), findings };
  };
  // Start-up: one source file that names a JWT library, so the runtime and one grammar load.
  const small = path.join(cache, 'code-small');
  mkdirSync(small, { recursive: true });
  writeFileSync(path.join(small, 'auth.js'), "const jwt = require('jsonwebtoken');\nmodule.exports = (t) => jwt.verify(t, process.env.KEY, { algorithms: ['ES256'] });\n");
  const startup = pair('one JavaScript file', small);
  results.codeChecks = { wasmMegabytes: +(wasmBytes / 2 ** 20).toFixed(1), startupAddedSeconds: startup.onSeconds - startup.offSeconds, target: 'under 10 % added on the bench tree' };
  console.log(`code checks: ${results.codeChecks.wasmMegabytes} MB of WebAssembly (runtime and 8 grammars, loaded lazily); start-up with one JavaScript file to parse: +${(startup.onSeconds - startup.offSeconds).toFixed(3)} s (${startup.offSeconds.toFixed(2)} -> ${startup.onSeconds.toFixed(2)} s)`);
  if (existsSync(corpus)) {
    const tree = pair('bench tree', corpus);
    results.codeChecks.benchTree = tree;
    console.log(`  bench tree: ${tree.offSeconds.toFixed(2)} s without them, ${tree.onSeconds.toFixed(2)} s with them (${tree.addedPercent >= 0 ? '+' : ''}${tree.addedPercent.toFixed(1)} %, target < 10 %), ${tree.findings} code findings`);
  }
  const sources = process.env.JWT_GUARD_BENCH_SOURCES;
  if (sources && existsSync(sources)) {
    const real = pair('real source code', sources);
    results.codeChecks.realSources = { ...real, what: `${sources}: repositories that use JWT libraries` };
    console.log(`  real source code (${sources}): ${real.offSeconds.toFixed(2)} s without them, ${real.onSeconds.toFixed(2)} s with them (+${real.addedPercent.toFixed(0)} %), ${real.findings} code findings`);
  } else {
    console.log('  real source code: set JWT_GUARD_BENCH_SOURCES=DIR to measure a tree of repositories that use JWT libraries');
  }
}
