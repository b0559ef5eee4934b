/**
 * A stand-in for the GitHub REST API on loopback, serving the paths, status codes,
 * pagination (Link headers) and redirects the job-log source meets in production.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';

export interface FakeJob {
  id: number;
  name: string;
  status: 'completed' | 'in_progress' | 'queued';
  log: string;
  /**
   * How the log's body misbehaves after `log` is sent: the connection breaks, the server
   * stops sending (stalls), `bytes` more bytes of filler follow, or the body is a gzip bomb
   * (`bytes` of zeros, compressed, with Content-Encoding: gzip).
   */
  body?: { kind: 'break' } | { kind: 'stall' } | { kind: 'huge'; bytes: number } | { kind: 'gzip-bomb'; bytes: number };
}

export interface FakeApi {
  url: string;
  requests: Array<{ method: string; path: string; authorization?: string }>;
  close(): Promise<void>;
}

/** Writes `bytes` bytes of `block` repeated to `out`, minding backpressure, then ends it; returns a function that stops it early. */
function pump(out: NodeJS.WritableStream, block: Buffer, bytes: number): () => void {
  let left = bytes;
  const write = () => {
    while (left > 0) {
      left -= block.length;
      if (!out.write(block)) return void out.once('drain', write);
    }
    out.end();
  };
  write();
  return () => (left = 0);
}

/** Serves `jobs` for run `runId` of `repository`; `forbid` answers every API call with 403. */
export async function startFakeApi(options: { repository: string; runId: number; jobs: FakeJob[]; pageSize?: number; forbid?: boolean; endlessPages?: boolean }): Promise<FakeApi> {
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
      if (!job) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Not Found');
        return;
      }
      const body = job.body;
      if (body?.kind === 'gzip-bomb') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': 'gzip' });
        const gzip = createGzip();
        gzip.pipe(res);
        gzip.write(job.log);
        pump(gzip, Buffer.alloc(1 << 20), body.bytes);
        res.on('close', () => gzip.destroy());
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      if (!body) return void res.end(job.log);
      res.write(job.log);
      if (body.kind === 'break') return void setTimeout(() => res.destroy(), 50);
      if (body.kind === 'stall') return; // headers and the first bytes sent, then nothing: the client must give up
      const stop = pump(res, Buffer.alloc(1 << 20, 'x'), body.bytes);
      res.on('close', stop);
      return;
    }
    if (options.forbid) return json(res, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/actions/workflow-jobs' });
    const list = new RegExp(`^/repos/${options.repository}/actions/runs/(\\d+)/jobs$`).exec(url.pathname);
    if (list) {
      if (Number(list[1]) !== options.runId) return json(res, 404, { message: 'Not Found' });
      const page = Number(url.searchParams.get('page') ?? '1');
      const jobs = options.jobs.slice((page - 1) * pageSize, page * pageSize);
      const last = Math.max(1, Math.ceil(options.jobs.length / pageSize));
      if (options.endlessPages) {
        // Every page says there is a next one: a client that trusts it never stops.
        return json(res, 200, { total_count: 1e9, jobs: [{ id: 1000 + page, name: `job-${page}`, status: 'in_progress', run_id: options.runId }] }, { link: `<${base}${url.pathname}?filter=latest&per_page=100&page=${page + 1}>; rel="next"` });
      }
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
