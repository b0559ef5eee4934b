/**
 * A stand-in for the GitHub REST API on loopback, serving the paths, status codes,
 * pagination (Link headers) and redirects the job-log source meets in production.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeJob {
  id: number;
  name: string;
  status: 'completed' | 'in_progress' | 'queued';
  log: string;
}

export interface FakeApi {
  url: string;
  requests: Array<{ method: string; path: string; authorization?: string }>;
  close(): Promise<void>;
}

/** Serves `jobs` for run `runId` of `repository`; `forbid` answers every API call with 403. */
export async function startFakeApi(options: { repository: string; runId: number; jobs: FakeJob[]; pageSize?: number; forbid?: boolean }): Promise<FakeApi> {
  const requests: FakeApi['requests'] = [];
  const pageSize = options.pageSize ?? 2;
  let base = '';
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const blob = /^\/blobs\/job-(\d+)\.txt$/.exec(url.pathname);
    if (blob) {
      const job = options.jobs.find((j) => j.id === Number(blob[1]));
      res.writeHead(job ? 200 : 404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(job?.log ?? 'Not Found');
      return;
    }
    if (options.forbid) return json(res, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/actions/workflow-jobs' });
    const list = new RegExp(`^/repos/${options.repository}/actions/runs/(\\d+)/jobs$`).exec(url.pathname);
    if (list) {
      if (Number(list[1]) !== options.runId) return json(res, 404, { message: 'Not Found' });
      const page = Number(url.searchParams.get('page') ?? '1');
      const jobs = options.jobs.slice((page - 1) * pageSize, page * pageSize);
      const last = Math.max(1, Math.ceil(options.jobs.length / pageSize));
      const link: Record<string, string> = page < last ? { link: `<${base}${url.pathname}?filter=latest&per_page=100&page=${page + 1}>; rel="next", <${base}${url.pathname}?filter=latest&per_page=100&page=${last}>; rel="last"` } : {};
      return json(res, 200, { total_count: options.jobs.length, jobs: jobs.map(({ id, name, status }) => ({ id, name, status, run_id: options.runId })) }, link);
    }
    const logs = new RegExp(`^/repos/${options.repository}/actions/jobs/(\\d+)/logs$`).exec(url.pathname);
    if (logs) {
      res.writeHead(302, { location: `${base}/blobs/job-${logs[1]}.txt` });
      res.end();
      return;
    }
    json(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
