/** The Action reads CI job logs from a GitHub API served on loopback. */
import { describe, expect, it } from '@jest/globals';
import { runActionAsync } from '../helpers/action.js';
import { closedPort, startFakeApi } from '../helpers/github-api.js';
import { tempTree } from '../helpers/scan.js';
import * as t from '../helpers/tokens.js';

const repository = 'octo-org/service';
const runId = 7701;
const env = (api: string) => ({ GITHUB_API_URL: api, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: String(runId) });
const line = (text: string) => `2026-11-23T10:00:00.0000000Z ${text}`;

describe('scan-job-logs', () => {
  it('lists the run\'s jobs page by page, follows the log redirects, and reports tokens with job and line', async () => {
    const token = await t.es256();
    const api = await startFakeApi({
      repository,
      runId,
      jobs: [
        { id: 1, name: 'build', status: 'completed', log: [line('npm ci'), line('npm test'), line('all good')].join('\n') },
        { id: 2, name: 'deploy', status: 'completed', log: [line('deploying'), line(`curl -H "Authorization: Bearer ${token}" https://api.example.test`)].join('\n') },
        { id: 3, name: 'e2e', status: 'completed', log: line(`visit https://app.example.test/cb#access_token=${token}`) },
        { id: 4, name: 'scan', status: 'in_progress', log: '' },
      ],
    });
    const repo = tempTree({ 'README.md': 'clean' }, { git: true });
    try {
      const run = await runActionAsync(repo.dir, { 'scan-job-logs': 'true', 'github-token': 'ghs_test_token' }, env(api.url));
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('Read the logs of 3 completed jobs of run 7701; 1 not read completely (see the report)');
      expect(run.stdout).toMatch(/^::error title=jwt-guard token-in-log,file=job-logs\/run-7701\/deploy,line=2,/m);
      expect(run.stdout).toMatch(/^::error title=jwt-guard token-in-url,file=job-logs\/run-7701\/e2e,line=1,/m);
      expect(run.outputs.findings).toBe('3');
      expect(run.summary).toContain('job-logs/run-7701/scan');
      expect(run.summary).toContain("job 'scan' is in progress");
      // pagination followed, one log download per completed job, each through the redirect, with the token sent to the API
      const paths = api.requests.map((r) => r.path);
      expect(paths.filter((p) => p.startsWith(`/repos/${repository}/actions/runs/${runId}/jobs`))).toHaveLength(2);
      expect(paths.filter((p) => p.endsWith('/logs'))).toEqual(['/repos/octo-org/service/actions/jobs/1/logs', '/repos/octo-org/service/actions/jobs/2/logs', '/repos/octo-org/service/actions/jobs/3/logs']);
      expect(paths.filter((p) => p.startsWith('/blobs/'))).toHaveLength(3);
      expect(api.requests.find((r) => r.path.includes('/jobs?'))!.authorization).toMatch(/ghs_test_token$/);
      expect(run.stdout).not.toContain(token);
    } finally {
      repo.cleanup();
      await api.close();
    }
  });

  it('scans another run with run-id', async () => {
    const api = await startFakeApi({ repository, runId: 99, jobs: [{ id: 5, name: 'old', status: 'completed', log: line(`token=${await t.es256()}`) }] });
    const repo = tempTree({ 'README.md': 'clean' }, { git: true });
    try {
      const run = await runActionAsync(repo.dir, { 'scan-job-logs': 'true', 'github-token': 'x', 'run-id': '99' }, env(api.url));
      expect(run.outputs.findings).toBe('1');
      expect(run.stdout).toMatch(/file=job-logs\/run-99\/old,line=1/);
    } finally {
      repo.cleanup();
      await api.close();
    }
  });

  it('fails clearly without permission (403)', async () => {
    const api = await startFakeApi({ repository, runId, jobs: [], forbid: true });
    const repo = tempTree({ 'README.md': 'clean' }, { git: true });
    try {
      const run = await runActionAsync(repo.dir, { 'scan-job-logs': 'true', 'github-token': 'x' }, env(api.url));
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^::error::jwt-guard: cannot list the jobs of run 7701 in octo-org\/service: permission denied \(403\)\. Give the job 'permissions: actions: read'/m);
    } finally {
      repo.cleanup();
      await api.close();
    }
  });

  it('fails clearly when the API cannot be reached', async () => {
    const url = await closedPort();
    const repo = tempTree({ 'README.md': 'clean' }, { git: true });
    try {
      const run = await runActionAsync(repo.dir, { 'scan-job-logs': 'true', 'github-token': 'x' }, env(url));
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`::error::jwt-guard: cannot list the jobs of run 7701 in octo-org/service: the GitHub API at ${url} did not answer as expected`);
    } finally {
      repo.cleanup();
    }
  });

  it('refuses a malformed run-id and a missing token', async () => {
    const repo = tempTree({ 'README.md': 'clean' }, { git: true });
    try {
      expect((await runActionAsync(repo.dir, { 'scan-job-logs': 'true', 'github-token': 'x', 'run-id': 'latest' }, env('http://127.0.0.1:9'))).stdout).toContain("input 'run-id' must be a workflow run id (digits), not 'latest'");
      expect((await runActionAsync(repo.dir, { 'scan-job-logs': 'true' }, env('http://127.0.0.1:9'))).stdout).toContain("input 'scan-job-logs' needs 'github-token'");
      expect((await runActionAsync(repo.dir, { 'scan-job-logs': 'yes' }, env('http://127.0.0.1:9'))).stdout).toContain("input 'scan-job-logs' must be true or false, not 'yes'");
    } finally {
      repo.cleanup();
    }
  });
});
