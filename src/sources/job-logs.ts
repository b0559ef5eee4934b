import type { getOctokit } from '@actions/github';
import { UserError } from '../errors.js';
import { formatSize } from '../policy/size.js';
import type { SkippedFile, TextUnit } from '../types.js';

type Octokit = ReturnType<typeof getOctokit>;

export interface JobLogRequest {
  octokit: Octokit;
  /** `owner/name`. */
  repository: string;
  runId: number;
  /** The API base URL, for messages. */
  apiUrl: string;
  /** Logs larger than this are skipped and listed, like large files. */
  maxBytes: number;
  /** Per request, in milliseconds. */
  timeoutMs?: number;
}

export interface JobLogs {
  units: TextUnit[];
  skipped: SkippedFile[];
  /** Jobs whose logs were read. */
  scanned: number;
}

/** Where a job's findings are reported: a path that names the run and the job, never a repository file. */
export function jobLogPath(runId: number, jobName: string): string {
  return `job-logs/run-${runId}/${jobName.replace(/[/\\]/g, '_')}`;
}

/**
 * Lists the run's jobs through the GitHub REST API and downloads the log of each
 * completed one (the API answers with a redirect to the log's text, which fetch follows).
 * A job still running, the current one included, has no log yet: it is listed as skipped.
 */
export async function fetchJobLogs(request: JobLogRequest): Promise<JobLogs> {
  const [owner, repo] = request.repository.split('/');
  if (!owner || !repo) throw new UserError('ERR_INPUT', `cannot read job logs: GITHUB_REPOSITORY is '${request.repository}', expected owner/name`);
  const options = () => ({ request: { signal: AbortSignal.timeout(request.timeoutMs ?? 30_000) } });
  let jobs;
  try {
    jobs = await request.octokit.paginate(request.octokit.rest.actions.listJobsForWorkflowRun, { owner, repo, run_id: request.runId, filter: 'latest', per_page: 100, ...options() });
  } catch (error) {
    throw apiError(error, `list the jobs of run ${request.runId} in ${request.repository}`, request.apiUrl);
  }
  const result: JobLogs = { units: [], skipped: [], scanned: 0 };
  for (const job of jobs) {
    const path = jobLogPath(request.runId, job.name);
    if (job.status !== 'completed') {
      result.skipped.push({ file: path, reason: 'job-running', detail: `job '${job.name}' is ${job.status.replace('_', ' ')}: its log is not available yet` });
      continue;
    }
    let text: string;
    try {
      const response = await request.octokit.rest.actions.downloadJobLogsForWorkflowRun({ owner, repo, job_id: job.id, ...options() });
      text = typeof response.data === 'string' ? response.data : Buffer.from(response.data as ArrayBuffer).toString('utf8');
    } catch (error) {
      throw apiError(error, `download the log of job '${job.name}' (${job.id})`, request.apiUrl);
    }
    if (Buffer.byteLength(text) > request.maxBytes) {
      result.skipped.push({ file: path, reason: 'too-large', detail: `${formatSize(Buffer.byteLength(text))} is over files.maxFileSize (${formatSize(request.maxBytes)})` });
      continue;
    }
    result.units.push({ path, kind: 'job-log', text });
    result.scanned++;
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
      return new UserError('ERR_GITHUB_API', `cannot ${action}: the GitHub API at ${apiUrl} did not answer as expected (${status ? `${status}: ` : ''}${message.slice(0, 200)})`);
  }
}
