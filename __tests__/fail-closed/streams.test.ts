/** Standard input and CI job logs stream through the chunked reader; a log not read completely fails the step. */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { runActionAsync } from '../helpers/action.js';
import { CLI } from '../helpers/cli.js';
import { startFakeApi, type FakeJob } from '../helpers/github-api.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';
import * as t from '../helpers/tokens.js';

const repository = 'octo-org/service';
const runId = 4242;
const env = (api: string) => ({ GITHUB_API_URL: api, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: String(runId), JWT_GUARD_STALL_MS: '800' });

async function scanJobs(jobs: FakeJob[], policy?: unknown, options: { endlessPages?: boolean } = {}) {
  const api = await startFakeApi({ repository, runId, jobs, ...options });
  const repo = tempTree({ 'README.md': 'clean' }, { git: true });
  try {
    if (policy) {
      mkdirSync(path.join(repo.dir, '.github'), { recursive: true });
      writeFileSync(path.join(repo.dir, '.github/jwt-guard.json'), JSON.stringify(policy));
    }
    return await runActionAsync(repo.dir, { 'scan-job-logs': 'true', 'github-token': 'ghs_x', format: 'json' }, env(api.url));
  } finally {
    repo.cleanup();
    await api.close();
  }
}

const gaps = (stdout: string) => [...stdout.matchAll(/^::error title=jwt-guard incomplete-scan,file=([^,]+),[^:]*::(.*)$/gm)].map((m) => ({ file: m[1], message: m[2] }));

describe('job logs that cannot be read completely', () => {
  it('a download that breaks part way: what arrived is scanned, and the log is an incomplete-scan finding naming the job', async () => {
    const token = await t.es256();
    const run = await scanJobs([{ id: 1, name: 'deploy', status: 'completed', log: `Bearer ${token}\n`, body: { kind: 'break' } }]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error title=jwt-guard token-in-log,file=job-logs\/run-4242\/deploy,line=1/m);
    expect(gaps(run.stdout)).toEqual([{ file: 'job-logs/run-4242/deploy', message: expect.stringMatching(/the log of job 'deploy' \(1\) broke off after .* only that part was scanned/) }]);
  });

  it('a download that stalls is given up after the stall timeout and reported', async () => {
    const run = await scanJobs([{ id: 2, name: 'build', status: 'completed', log: 'starting\n', body: { kind: 'stall' } }]);
    expect(run.status).toBe(1);
    expect(gaps(run.stdout)).toEqual([{ file: 'job-logs/run-4242/build', message: expect.stringContaining('stalled after 9 B (no data for 0.8 s)') }]);
  });

  it('a log over the cap is read up to it while it downloads, scanned that far, and reported', async () => {
    const run = await scanJobs([{ id: 3, name: 'huge', status: 'completed', log: `${k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey)}\n`, body: { kind: 'huge', bytes: 64 << 20 } }], { files: { maxFileSize: '2MB' } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error title=jwt-guard private-key,file=job-logs\/run-4242\/huge,line=1/m);
    expect(gaps(run.stdout)).toEqual([{ file: 'job-logs/run-4242/huge', message: expect.stringContaining('is larger than files.maxFileSize (2.0 MB): only its first 2.0 MB were scanned') }]);
  });

  it('a gzip bomb is stopped at the cap as it decompresses', async () => {
    const run = await scanJobs([{ id: 4, name: 'bomb', status: 'completed', log: 'x\n', body: { kind: 'gzip-bomb', bytes: 2 * 2 ** 30 } }], { files: { maxFileSize: '4MB' } });
    expect(run.status).toBe(1);
    expect(gaps(run.stdout)).toEqual([{ file: 'job-logs/run-4242/bomb', message: expect.stringContaining('only its first 4.0 MB were scanned') }]);
  });

  it('a listing whose pages never end is stopped, and said so', async () => {
    const run = await scanJobs([], undefined, { endlessPages: true });
    expect(run.status).toBe(1);
    expect(gaps(run.stdout)).toEqual([{ file: 'job-logs/run-4242', message: expect.stringContaining('the list of jobs went on past 50 pages') }]);
  });
});

describe('standard input', () => {
  it('streams through the chunked reader: 200 MB through a 64 MB heap, with the key at the end found on its line', async () => {
    const key = k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);
    const child = spawn(process.execPath, ['--max-old-space-size=64', CLI, 'scan', '--stdin-log', '--format', 'json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const line = Buffer.from(`${'2026-12-01T00:00:00Z step output, nothing to see here '.repeat(18)}\n`);
    const lines = Math.ceil((200 << 20) / line.length);
    const block = Buffer.concat(Array.from({ length: 1000 }, () => line));
    for (let written = 0; written < lines; written += 1000) {
      if (!child.stdin.write(block)) await new Promise((resolve) => child.stdin.once('drain', resolve));
    }
    child.stdin.end(key);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe("jwt-guard found 1 finding at or above 'error' (1 private-key)\n");
    expect(status).toBe(1);
    const doc = JSON.parse(out);
    expect(doc.findings.map((f: { ruleId: string; file: string; line: number }) => [f.ruleId, f.file, f.line])).toEqual([['private-key', '<stdin>', Math.ceil(lines / 1000) * 1000 + 1]]);
  });
});
