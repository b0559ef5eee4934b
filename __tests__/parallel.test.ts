/**
 * The reading threads share one queue and report what they looked at; a thread that fails
 * to start, or stops half-way through the files it claimed, costs time, never files.
 */
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Analyst, HelpersOnDemand, ThreadPool, empty, scanFiles, type CodeHelpers, type CodeJob, type FilesOutcome } from '../src/pipeline/scan-files.js';
import { analyzeCode } from '../src/code/index.js';
import { FileReader } from '../src/sources/read.js';
import { resolvePolicy } from '../src/policy/load.js';
import { listFiles } from '../src/sources/files.js';
import { COSTS, ScanBudget } from '../src/pipeline/budget.js';
import * as k from './helpers/keys.js';
import * as t from './helpers/tokens.js';
import { tempTree } from './helpers/scan.js';
import { findWellKnownSecret, screenAhead } from '../src/rules/weak-secret.js';
import { CANDIDATES, CHUNK, CHUNKS } from '../src/rules/secret-screen.js';
import { WELL_KNOWN_SECRETS } from '../src/rules/data/well-known-secrets.js';

const policy = resolvePolicy({}, 'test');
const WORKER = pathToFileURL(path.resolve('dist/cli/worker.js'));

function tree(count = 400) {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`src/m${i}.js`] = `export const v${i} = ${i};\n`;
  for (let i = 0; i < 5; i++) files[`keys/k${i}.pem`] = k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);
  return tempTree(files);
}

const stable = (outcome: FilesOutcome) => ({
  ...outcome,
  findings: outcome.findings.map((f) => f.fingerprint).sort(),
});

async function withPool(entry: URL, size: number, run: (pool: ThreadPool) => Promise<void>) {
  const pool = new ThreadPool(entry, size);
  try {
    await run(pool);
  } finally {
    await pool.close();
  }
}

describe('reading threads', () => {
  it('spend the analysis budget on the same files as one thread, so that a spent budget gives the same findings', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`src/m${i}.js`] = `export const v${i} = ${i};\n`;
    for (let i = 0; i < 12; i++) files[`tokens/t${i}.txt`] = (await Promise.all(Array.from({ length: 3 }, (_, j) => t.hmac('secret', t.goodClaims({ jti: `${i}-${j}` }))))).join('\n');
    const repo = tempTree(files);
    try {
      const { files: list } = await listFiles(repo.dir, policy);
      list.sort((a, b) => (a.relative < b.relative ? -1 : 1));
      const limits = { perFile: 1e12, perScan: 20 * COSTS['weak-secret'] };
      const alone = await scanFiles(list, { policy, budget: new ScanBudget(limits) });
      expect(alone.skipped.filter((s) => s.reason === 'budget')).toHaveLength(6);
      for (let round = 0; round < 3; round++) {
        await withPool(WORKER, 2, async (pool) => expect(stable(await pool.scan(list, { policy, budget: new ScanBudget(limits) }))).toEqual(stable(alone)));
      }
    } finally {
      repo.cleanup();
    }
  });

  it('find what one thread finds', async () => {
    const repo = tree();
    try {
      const { files } = await listFiles(repo.dir, policy);
      const alone = await scanFiles(files, { policy });
      expect(alone.findings).toHaveLength(5);
      await withPool(WORKER, 2, async (pool) => expect(stable(await pool.scan(files, { policy }))).toEqual(stable(alone)));
    } finally {
      repo.cleanup();
    }
  });

  it('that never start leave the whole list to the main thread', async () => {
    const repo = tree();
    try {
      const { files } = await listFiles(repo.dir, policy);
      const alone = await scanFiles(files, { policy });
      await withPool(pathToFileURL(path.join(repo.dir, 'no-such-worker.js')), 2, async (pool) => expect(stable(await pool.scan(files, { policy }))).toEqual(stable(alone)));
    } finally {
      repo.cleanup();
    }
  });

  it('that stop after claiming files have those files read by the main thread', async () => {
    const repo = tree(3000);
    try {
      const { files } = await listFiles(repo.dir, policy);
      const alone = await scanFiles(files, { policy });
      // Claims every file left in the shared queue, then dies without a word.
      const dying = path.join(repo.dir, 'dying-worker.mjs');
      writeFileSync(dying, "import { parentPort } from 'node:worker_threads';\nparentPort.once('message', ({ work }) => { Atomics.store(new Int32Array(work.next), 0, work.tracked.length); process.exit(1); });\n");
      await withPool(pathToFileURL(dying), 1, async (pool) => {
        await new Promise((resolve) => setTimeout(resolve, 300)); // booted, so it claims at once
        expect(stable(await pool.scan(files, { policy }))).toEqual(stable(alone));
      });
    } finally {
      repo.cleanup();
    }
  });
});

describe('helper threads screening for weak secrets', () => {
  // Secrets at the edges of chunks, early, in the middle and last, so that every thread's chunks hold some.
  const edges = [1, 2, Math.floor(CHUNKS / 2), CHUNKS - 1].flatMap((chunk) => [chunk * CHUNK - 1, chunk * CHUNK]);
  const picks = [...new Set([0, ...edges, CANDIDATES - 1])].map((i) => WELL_KNOWN_SECRETS[i]!);

  it('find every well-known secret, wherever it sits in the list, as one thread does', async () => {
    const tokens = await Promise.all(picks.map((secret) => t.hmac(secret, t.goodClaims())));
    const random = await t.hmac(randomBytes(32), t.goodClaims());
    for (const size of [1, 2, 3]) {
      await withPool(WORKER, size, async (pool) => {
        await new Promise((resolve) => setTimeout(resolve, 200)); // booted
        expect(pool.idle()).toBe(size);
        for (const [i, token] of tokens.entries()) expect(await findWellKnownSecret(token, 'HS256', pool)).toBe(picks[i]);
        expect(await findWellKnownSecret(random, 'HS256', pool)).toBeUndefined();
        // Free again once done with their last share (which the main thread need not wait for).
        for (let i = 0; i < 200 && pool.idle() < size; i++) await new Promise((resolve) => setTimeout(resolve, 5));
        expect(pool.idle()).toBe(size);
      });
    }
  });

  it('start on demand: not for a scan with a few tokens, at once when a pool already reads the tree', async () => {
    const tokens = await Promise.all(picks.slice(0, 3).map((secret) => t.hmac(secret, t.goodClaims())));
    let started: ThreadPool | undefined;
    const starts: number[] = [];
    let asked = 0;
    const onDemand = new HelpersOnDemand({
      running: () => started,
      start: () => {
        starts.push(asked);
        return (started ??= new ThreadPool(WORKER, 1));
      },
    });
    try {
      // 32 tokens are screened on the main thread alone; the 33rd starts the pool.
      for (asked = 1; asked <= 32; asked++) expect(onDemand.idle()).toBe(0);
      expect(starts).toEqual([]);
      expect(onDemand.idle()).toBe(1);
      expect(starts).toEqual([33]);
      for (const [i, token] of tokens.entries()) expect(await findWellKnownSecret(token, 'HS256', onDemand)).toBe(picks[i]);
      expect(starts).toEqual([33]);
    } finally {
      await (started as ThreadPool | undefined)?.close();
    }
    // A pool that already runs (started to read a large tree) screens from the first token.
    await withPool(WORKER, 1, async (pool) => {
      const reading = new HelpersOnDemand({ running: () => pool, start: () => pool });
      expect(reading.idle()).toBe(1);
      expect(await findWellKnownSecret(tokens[0]!, 'HS256', reading)).toBe(picks[0]);
    });
  });

  it('screen a token ahead of the rule, and give the verdict it gets in its turn', async () => {
    const tokens = await Promise.all(picks.map((secret, i) => t.hmac(secret, t.goodClaims(), i % 2 ? 'HS384' : 'HS256')));
    const random = await t.hmac(randomBytes(32), t.goodClaims());
    await withPool(WORKER, 1, async (pool) => {
      await new Promise((resolve) => setTimeout(resolve, 200)); // booted
      for (const [i, token] of [...tokens, random].entries()) {
        expect(screenAhead(token, pool)).toBe(true);
        expect(await findWellKnownSecret(token, i % 2 ? 'HS384' : 'HS256', pool)).toBe(picks[i]);
        for (let wait = 0; wait < 200 && pool.idle() < 1; wait++) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // Not an HS* token: nothing to start.
      expect(screenAhead(await t.es256(), pool)).toBe(true);
      expect(pool.idle()).toBe(1);
    });
    // No helper free: ask again later.
    let shared = 0;
    expect(screenAhead(tokens[1]!, { idle: () => 0, share: async () => void shared++ })).toBe(false);
    expect(shared).toBe(0);
  });

  it('screened ahead in a scan give the findings of a scan without helpers', async () => {
    // One file of HS* tokens, a few with well-known secrets, more than the budget lets the rule screen.
    const lines = await Promise.all(Array.from({ length: 60 }, (_, i) => t.hmac(i % 7 === 0 ? picks[i % picks.length]! : randomBytes(32), t.goodClaims({ jti: `j${i}` }))));
    const repo = tempTree({ 'tokens.txt': `${lines.join('\n')}\n`, 'more.txt': `${lines.slice(0, 20).join('\n')}\n` });
    try {
      const { files } = await listFiles(repo.dir, policy);
      // more.txt's 20 tokens are screened first; tokens.txt's 40 others are more than its 30.
      const limits = { perFile: 30 * COSTS['weak-secret'], perScan: 1e12 };
      const alone = await scanFiles(files, { policy, budget: new ScanBudget(limits) });
      expect(alone.findings.filter((f) => f.ruleId === 'weak-secret').length).toBeGreaterThanOrEqual(4);
      expect(alone.skipped.filter((s) => s.reason === 'budget')).toHaveLength(1);
      await withPool(WORKER, 1, async (pool) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const budget = new ScanBudget(limits);
        budget.helpers = pool;
        expect(stable(await scanFiles(files, { policy, budget }))).toEqual(stable(alone));
      });
    } finally {
      repo.cleanup();
    }
  });

  it('that die or fail while screening leave their range to the main thread', async () => {
    const tokens = await Promise.all(picks.map((secret) => t.hmac(secret, t.goodClaims())));
    const repo = tempTree({});
    try {
      // Claims the first chunk it can and dies on it; or claims every chunk left and fails on each.
      const dying = path.join(repo.dir, 'dying-screen.mjs');
      writeFileSync(dying, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (m) => { Atomics.add(new Int32Array(m.board), 0, 1); process.exit(1); });\n");
      const failing = path.join(repo.dir, 'failing-screen.mjs');
      writeFileSync(failing, `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (m) => {\n  const board = new Int32Array(m.board);\n  for (let c = Atomics.add(board, 0, 1); c < ${CHUNKS}; c = Atomics.add(board, 0, 1)) Atomics.store(board, 2 + c, -2);\n  parentPort.postMessage({ type: 'screened', id: m.id });\n});\n`);
      for (const entry of [dying, failing]) {
        await withPool(pathToFileURL(entry), 2, async (pool) => {
          await new Promise((resolve) => setTimeout(resolve, 200));
          for (const [i, token] of tokens.entries()) expect(await findWellKnownSecret(token, 'HS256', pool)).toBe(picks[i]);
        });
      }
    } finally {
      repo.cleanup();
    }
  });
});


describe('helper threads running code checks', () => {
  // Literal secrets are built here, so that this file holds no call with one.
  const secret = 'q7'.repeat(8);
  /** Source files the code checks read (some with tokens, whose weak-secret screening the budget cuts short), among files they do not. */
  async function codeTree(fillers: number) {
    const files: Record<string, string> = {};
    for (let i = 0; i < fillers; i++) files[`src/m${i}.js`] = `export const v${i} = ${i};\n`;
    for (let i = 0; i < 30; i++) {
      const lines = ["const jwt = require('jsonwebtoken');", "exports.check = (t) => jwt.verify(t, process.env.K, { algorithms: ['RS256', 'none'] });"];
      if (i % 3 === 0) lines.push(`exports.sign = (claims) => jwt.sign(claims, '${secret}');`);
      if (i % 5 === 0) lines.push('// jwt-guard-ignore-next-line insecure-verification -- the test double of the identity provider', "exports.stub = (t) => jwt.verify(t, process.env.K, { algorithms: ['none'] });");
      if (i % 4 === 0) lines.push(`exports.sample = '${await t.hmac('secret', t.goodClaims({ jti: `a${i}` }))}';`, `exports.other = '${await t.hmac('secret', t.goodClaims({ jti: `b${i}` }))}';`);
      files[`app/auth${String(i).padStart(2, '0')}.js`] = `${lines.join('\n')}\n`;
    }
    return tempTree(files);
  }
  const limits = { perFile: 1.5 * COSTS['weak-secret'], perScan: 1e12 };
  /** The whole outcome in a form that does not depend on which thread finished first: findings by fingerprint, gaps in file order (their order within a file kept). */
  const settled = (outcome: FilesOutcome) => ({
    ...outcome,
    findings: [...outcome.findings].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : a.line - b.line)),
    suppressed: [...outcome.suppressed].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1)),
    skipped: [...outcome.skipped].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
  });

  it('give the findings, suppressions and gaps the main thread gives, whenever and however the helpers answer', async () => {
    const repo = await codeTree(50);
    try {
      const { files } = await listFiles(repo.dir, policy);
      const alone = settled(await scanFiles(files, { policy, budget: new ScanBudget(limits) }));
      expect(alone.findings.filter((f) => f.artifact?.type === 'code').length).toBeGreaterThanOrEqual(40);
      expect(alone.suppressed.length).toBeGreaterThanOrEqual(6);
      expect(alone.skipped.filter((s) => s.reason === 'budget').length).toBeGreaterThanOrEqual(8);
      const waiting: CodeJob[] = [];
      const helpers: Record<string, CodeHelpers & { afterLooks?: () => Promise<void> }> = {
        // Answers only once every file has been analysed, the last first.
        late: {
          analyseCode: (path, text, language) => new Promise((resolve) => waiting.push({ path, text, language, resolve })),
          takeCodeJob: () => undefined,
          afterLooks: async () => {
            for (const job of waiting.splice(0).reverse()) job.resolve(await analyzeCode(job.path, job.text, job.language));
          },
        },
        // Cannot run any: the main thread runs each.
        refusing: { analyseCode: async () => undefined, takeCodeJob: () => undefined },
        // Leaves every job waiting: the main thread takes them all back when it settles.
        busy: { analyseCode: (path, text, language) => new Promise((resolve) => waiting.push({ path, text, language, resolve })), takeCodeJob: () => waiting.pop() },
      };
      for (const [name, fake] of Object.entries(helpers)) {
        let asked = 0;
        const counting: CodeHelpers = { analyseCode: (...args) => (asked++, fake.analyseCode(...args)), takeCodeJob: () => fake.takeCodeJob() };
        const out = empty();
        const analyst = new Analyst({ policy, budget: new ScanBudget(limits) }, new FileReader(policy.files.maxFileSize), out, counting);
        await analyst.lookAndAnalyse(files, 0, files.length);
        await fake.afterLooks?.();
        await analyst.settle();
        expect({ name, asked }).toEqual({ name, asked: 30 });
        expect({ name, outcome: settled(out) }).toEqual({ name, outcome: alone });
      }
    } finally {
      repo.cleanup();
    }
  });

  it('give the same findings from the thread pool, also when a helper dies or fails on them', async () => {
    const repo = await codeTree(3000);
    try {
      const { files } = await listFiles(repo.dir, policy);
      const alone = settled(await scanFiles(files, { policy }));
      expect(alone.findings.length).toBeGreaterThanOrEqual(40);
      // The real helper, wrapped (loaded first, so that it is listening when the scan's files come): dies at its first code checks, or answers them without an analysis.
      const dying = path.join(repo.dir, 'dying-code.mjs');
      writeFileSync(dying, `import { parentPort } from 'node:worker_threads';\nawait import(${JSON.stringify(WORKER.href)});\nparentPort.on('message', (m) => { if (m.type === 'code') process.exit(1); });\n`);
      const failing = path.join(repo.dir, 'failing-code.mjs');
      writeFileSync(failing, `import { parentPort } from 'node:worker_threads';\nawait import(${JSON.stringify(WORKER.href)});\nparentPort.on('message', (m) => { if (m.type === 'code') parentPort.postMessage({ type: 'coded', id: m.id }); });\n`);
      for (const [entry, size] of [[WORKER, 1], [WORKER, 2], [pathToFileURL(dying), 1], [pathToFileURL(failing), 2]] as const) {
        await withPool(entry, size, async (pool) => expect({ entry: entry.href, outcome: settled(await pool.scan(files, { policy })) }).toEqual({ entry: entry.href, outcome: alone }));
      }
    } finally {
      repo.cleanup();
    }
  });
});
