import type { getOctokit } from '@actions/github';
import { errorKind, UserError } from '../errors.js';
import { redactUrl } from '../util/url.js';
import { formatSize } from '../util/format.js';
import type { SkippedFile } from '../types.js';
import type { FileEntry } from './files.js';
import type { Spool } from './spool.js';

type Octokit = ReturnType<typeof getOctokit>;

export interface JobLogRequest {
  octokit: Octokit;
  /** `owner/name`. */
  repository: string;
  runId: number;
  /** The API base URL, for messages. */
  apiUrl: string;
  /** Bytes read of one log at most, counted while it downloads (after any decompression); the rest is a gap. */
  maxBytes: number;
  /** What the cap is, for messages (`files.maxFileSize`, or the job-log default). */
  capName?: string;
  /** Where logs are written as they download. */
  spool: Spool;
  /** Milliseconds a request may wait for its answer, or a download for its next bytes, before it counts as stalled. */
  stallMs?: number;
  /** Pages of jobs listed at most (100 jobs a page). */
  maxPages?: number;
}

export interface JobLogs {
  /** The logs, spooled to files, with their display paths and kind `job-log`. */
  files: FileEntry[];
  /** Jobs still running (listed), and logs that could not be read completely (gaps: incomplete-scan findings). */
  skipped: SkippedFile[];
  /** Jobs whose logs were read. */
  scanned: number;
}

/** A job log is read up to this size unless files.maxFileSize is lower: ample for CI logs, and a bound on disk and time. */
export const JOB_LOG_MAX_BYTES = 1 << 30;
const STALL_MS = 30_000;
/** 50 pages of 100: a run has at most a few hundred jobs, and a server that never stops paging is stopped. */
const MAX_PAGES = 50;

/** Where a job's findings are reported: a path that names the run and the job, never a repository file. */
export function jobLogPath(runId: number, jobName: string): string {
  return `job-logs/run-${runId}/${jobName.replace(/[/\\]/g, '_')}`;
}

/** Calls `onStall` when `reset` has not been called for `ms`; `stop` ends the watch. */
function watchdog(ms: number, onStall: () => void): { reset(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onStall, ms);
  };
  reset();
  return { reset, stop: () => clearTimeout(timer) };
}

/** Yields the chunks of a download, telling the watchdog of each. */
async function* watched(body: AsyncIterable<Uint8Array>, dog: { reset(): void }): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    dog.reset();
    yield chunk;
  }
}

/**
 * Lists the run's jobs through the GitHub REST API and downloads the log of each
 * completed one (the API answers with a redirect to the log's text, which fetch follows),
 * streaming it to the spool with the size cap and a stall timeout enforced while it reads.
 * A job still running, the current one included, has no log yet: it is listed. A log that
 * could not be read completely (a broken, stalled or oversized download, a listing that
 * never ends) is a gap, so that the step fails rather than scanning less than it says.
 */
export async function fetchJobLogs(request: JobLogRequest): Promise<JobLogs> {
  const [owner, repo] = request.repository.split('/');
  if (!owner || !repo) throw new UserError('ERR_INPUT', `cannot read job logs: GITHUB_REPOSITORY is '${request.repository}', expected owner/name`);
  const stallMs = request.stallMs ?? STALL_MS;
  const result: JobLogs = { files: [], skipped: [], scanned: 0 };
  const jobs: Array<{ id: number; name: string; status: string }> = [];
  const runPath = `job-logs/run-${request.runId}`;
  try {
    let pages = 0;
    const iterator = request.octokit.paginate.iterator(request.octokit.rest.actions.listJobsForWorkflowRun, { owner, repo, run_id: request.runId, filter: 'latest', per_page: 100, request: { signal: AbortSignal.timeout(stallMs) } });
    for await (const page of iterator) {
      for (const job of page.data) jobs.push({ id: job.id, name: job.name, status: job.status });
      if (++pages >= (request.maxPages ?? MAX_PAGES)) {
        result.skipped.push({ file: runPath, reason: 'partly-scanned', detail: `the list of jobs went on past ${pages} pages (${jobs.length} jobs); the jobs after them were not read`, unitKind: 'job-log' });
        break;
      }
    }
  } catch (error) {
    throw apiError(error, `list the jobs of run ${request.runId} in ${request.repository}`, request.apiUrl);
  }
  for (const job of jobs) {
    const path = jobLogPath(request.runId, job.name);
    if (job.status !== 'completed') {
      result.skipped.push({ file: path, reason: 'job-running', detail: `job '${job.name}' is ${job.status.replace('_', ' ')}: its log is not available yet` });
      continue;
    }
    const gap = (detail: string): void => void result.skipped.push({ file: path, reason: 'download-failed', detail: `the log of job '${job.name}' (${job.id}) ${detail}`, unitKind: 'job-log' });
    const controller = new AbortController();
    const dog = watchdog(stallMs, () => controller.abort(new Error('stalled')));
    try {
      let body: AsyncIterable<Uint8Array>;
      try {
        const response = await request.octokit.rest.actions.downloadJobLogsForWorkflowRun({ owner, repo, job_id: job.id, request: { signal: controller.signal, parseSuccessResponseBody: false } });
        body = response.data as unknown as AsyncIterable<Uint8Array>;
      } catch (error) {
        const failure = apiError(error, `download the log of job '${job.name}' (${job.id})`, request.apiUrl);
        const status = (error as { status?: number }).status;
        if (status === 401 || status === 403) throw failure;
        gap(controller.signal.aborted ? `did not answer within ${stallMs / 1000} s` : `could not be downloaded (${status ? `HTTP ${status}` : errorKind(error)})`);
        continue;
      }
      dog.reset();
      const spooled = await request.spool.write(watched(body, dog), request.maxBytes);
      result.files.push({ absolute: spooled.file, relative: path, kind: 'job-log' });
      result.scanned++;
      if (spooled.failed !== undefined) {
        gap(controller.signal.aborted ? `stalled after ${formatSize(spooled.bytes)} (no data for ${stallMs / 1000} s); only that part was scanned` : `broke off after ${formatSize(spooled.bytes)} (${errorKind(spooled.failed)}); only that part was scanned`);
      } else if (spooled.truncated) {
        gap(`is larger than ${request.capName ?? 'the cap'} (${formatSize(request.maxBytes)}): only its first ${formatSize(spooled.bytes)} were scanned`);
      }
    } finally {
      dog.stop();
      controller.abort();
    }
  }
  return result;
}

/** Turns an API failure into a user error that says what to do. */
function apiError(error: unknown, action: string, apiUrl: string): UserError {
  const status = (error as { status?: number }).status;
  const message = (error as Error)?.message ?? String(error);
  switch (status) {
    case 401:
      return new UserError('ERR_GITHUB_API', `cannot ${action}: the github-token was refused (401)`);
    case 403:
      return new UserError('ERR_GITHUB_API', `cannot ${action}: permission denied (403). Give the job 'permissions: actions: read' so jwt-guard can read job logs`);
    case 404:
      return new UserError('ERR_GITHUB_API', `cannot ${action}: not found (404); check run-id and that the token can see the repository`);
    default:
      return new UserError('ERR_GITHUB_API', `cannot ${action}: the GitHub API at ${redactUrl(apiUrl)} did not answer as expected (${status ? `${status}: ` : ''}${message.slice(0, 200)})`);
  }
}
