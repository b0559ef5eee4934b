import path from 'node:path';
import { UserError } from '../errors.js';
import { parseFailOn, parseFormat, type ScanSettings } from '../settings.js';
import { splitTokens } from '../check/run.js';

export interface ActionInputs {
  getInput(name: string): string;
}

export interface JobLogSettings {
  token: string;
  repository: string;
  runId: number;
  apiUrl: string;
}

export interface ActionSettings {
  scan: ScanSettings;
  /** Where to write SARIF for github/codeql-action/upload-sarif, if anywhere. */
  sarifFile?: string;
  /** Set when scan-job-logs is on. */
  jobLogs?: JobLogSettings;
}

function booleanInput(value: string, input: string): boolean {
  if (value === '' || /^false$/i.test(value)) return false;
  if (/^true$/i.test(value)) return true;
  throw new UserError('ERR_INPUT', `input '${input}' must be true or false, not '${value}'`);
}

function jobLogSettings(input: (name: string) => string, env: NodeJS.ProcessEnv): JobLogSettings | undefined {
  if (!booleanInput(input('scan-job-logs'), 'scan-job-logs')) return undefined;
  const token = input('github-token');
  if (!token) throw new UserError('ERR_INPUT', "input 'scan-job-logs' needs 'github-token' (default: the job's GITHUB_TOKEN, with 'permissions: actions: read')");
  const runInput = input('run-id') || env.GITHUB_RUN_ID || '';
  if (!/^[1-9][0-9]{0,18}$/.test(runInput)) throw new UserError('ERR_INPUT', `input 'run-id' must be a workflow run id (digits), not '${runInput}'`);
  const repository = env.GITHUB_REPOSITORY ?? '';
  return { token, repository, runId: Number(runInput), apiUrl: env.GITHUB_API_URL || 'https://api.github.com' };
}

/** Resolves `value` against the workspace and refuses anything outside it (or outside RUNNER_TEMP, where allowed). */
function insideWorkspace(value: string, input: string, workspace: string, extraRoots: string[] = []): string {
  const resolved = path.resolve(workspace, value);
  const allowed = [workspace, ...extraRoots].some((root) => resolved === root || resolved.startsWith(root + path.sep));
  if (!allowed) throw new UserError('ERR_INPUT', `input '${input}' must be a path inside the workspace (${workspace}), not '${value}'`);
  return resolved;
}

/** Every input read and validated in one place; the rest of the Action never calls getInput. */
export function readInputs(core: ActionInputs, env: NodeJS.ProcessEnv): ActionSettings {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const temp = env.RUNNER_TEMP ? [path.resolve(env.RUNNER_TEMP)] : [];
  const input = (name: string) => core.getInput(name).trim();
  const root = insideWorkspace(input('path') || '.', 'path', workspace);
  const policy = input('policy');
  const sarif = input('sarif-file');
  const baseline = input('baseline');
  const jobLogs = jobLogSettings(input, env);
  const tokens = splitTokens(core.getInput('tokens'));
  const hmacSecret = core.getInput('hmac-secret');
  return {
    scan: {
      root,
      base: workspace,
      scanFiles: true,
      format: parseFormat(input('format') || 'text', "input 'format'"),
      failOn: parseFailOn(input('fail-on') || 'error', "input 'fail-on'"),
      ...(policy ? { policyPath: insideWorkspace(policy, 'policy', workspace) } : {}),
      ...(baseline ? { baseline: insideWorkspace(baseline, 'baseline', workspace) } : {}),
      ...(tokens.length > 0 ? { tokens } : {}),
      ...(hmacSecret ? { hmacSecret } : {}),
    },
    ...(sarif ? { sarifFile: insideWorkspace(sarif, 'sarif-file', workspace, temp) } : {}),
    ...(jobLogs ? { jobLogs } : {}),
  };
}
