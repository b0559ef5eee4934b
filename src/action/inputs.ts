import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isInside } from '../sources/files.js';
import type { HistorySelection } from '../sources/history.js';
import { readRegularFile } from '../util/read-file.js';
import { UserError } from '../errors.js';
import { debugFromEnv, parseFailOn, parseFormat, type ScanSettings } from '../pipeline/settings.js';
import { splitTokens } from '../check/run.js';
import { parseClaimSets } from '../mint/mint.js';

export interface ActionInputs {
  getInput(name: string): string;
}

/** The inputs that hold secrets: masked (each line of a multi-line one too) before any other input is read or anything printed. */
export function maskSecretInputs(core: ActionInputs & { setSecret(secret: string): void }): void {
  for (const token of splitTokens(core.getInput('tokens'))) core.setSecret(token);
  for (const name of ['hmac-secret', 'signing-key', 'key-passphrase']) {
    const secret = core.getInput(name);
    if (!secret) continue;
    core.setSecret(secret);
    for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 8) core.setSecret(line.trim());
  }
}

/** The Action's mode: scan (the default) or mint. */
export function readMode(core: ActionInputs): 'scan' | 'mint' {
  const mode = core.getInput('mode').trim() || 'scan';
  if (mode !== 'scan' && mode !== 'mint') throw new UserError('ERR_INPUT', `input 'mode' must be scan or mint, not '${mode}'`);
  return mode;
}

/** Everything mint mode needs, read and validated up front like the scan's settings. */
export interface MintSettings {
  signingKey: string;
  passphrase?: string;
  policyPath?: string;
  workspace: string;
  claimSets?: Array<Record<string, unknown>>;
  audience?: string;
  githubContext: boolean;
}

export function readMintInputs(core: ActionInputs, env: NodeJS.ProcessEnv): MintSettings {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const signingKey = core.getInput('signing-key');
  if (!signingKey) throw new UserError('ERR_INPUT', "mode 'mint' needs the 'signing-key' input (an encrypted key from a secret)");
  const passphrase = core.getInput('key-passphrase');
  const policy = core.getInput('policy').trim() || (env.JWT_GUARD_POLICY ?? '').trim();
  const claims = core.getInput('claims').trim();
  const audience = core.getInput('audience').trim();
  return {
    signingKey,
    workspace,
    ...(passphrase ? { passphrase } : {}),
    ...(policy ? { policyPath: insideWorkspace(policy, core.getInput('policy').trim() ? 'policy' : 'policy (from JWT_GUARD_POLICY)', workspace, { mustExist: true }) } : {}),
    ...(claims ? { claimSets: parseClaimSets(claims, "input 'claims'") } : {}),
    ...(audience ? { audience } : {}),
    githubContext: booleanInput(core.getInput('include-github-context').trim() || 'true', 'include-github-context'),
  };
}

export interface JobLogSettings {
  token: string;
  repository: string;
  runId: number;
  apiUrl: string;
  /** JWT_GUARD_STALL_MS: how long a download may go without data (default 30 s). */
  stallMs?: number;
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
  const stall = env.JWT_GUARD_STALL_MS;
  if (stall !== undefined && stall !== '' && !/^[1-9][0-9]{0,6}$/.test(stall)) throw new UserError('ERR_INPUT', `JWT_GUARD_STALL_MS must be a number of milliseconds, not '${stall}'`);
  return { token, repository, runId: Number(runInput), apiUrl: env.GITHUB_API_URL || 'https://api.github.com', ...(stall ? { stallMs: Number(stall) } : {}) };
}

/** The nearest existing directory at or above `file`, resolved through links. */
function realAncestor(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    try {
      return realpathSync(dir);
    } catch {
      if (path.dirname(dir) === dir) return dir;
    }
  }
}

/**
 * Resolves `value` against the workspace and refuses anything outside it (or outside
 * RUNNER_TEMP, where allowed), after resolving links: a committed link `docs -> /etc`
 * named as the path leads outside, and is refused. `mustExist` for inputs that are read;
 * an output may not exist yet, and then its nearest existing directory must be inside.
 */
export function insideWorkspace(value: string, input: string, workspace: string, options: { extraRoots?: string[]; mustExist?: boolean } = {}): string {
  const resolved = path.resolve(workspace, value);
  const roots = [workspace, ...(options.extraRoots ?? [])].map((root) => {
    try {
      return realpathSync(root);
    } catch {
      return root;
    }
  });
  let real: string;
  try {
    real = realpathSync(resolved);
  } catch {
    if (options.mustExist) throw new UserError('ERR_INPUT', `input '${input}': '${value}' does not exist in the workspace`);
    real = path.join(realAncestor(resolved), path.basename(resolved));
  }
  if (!roots.some((root) => isInside(root, real))) {
    throw new UserError('ERR_INPUT', `input '${input}' must be a path inside the workspace (${workspace})${options.extraRoots?.length ? ' or RUNNER_TEMP' : ''}, links resolved, not '${value}'`);
  }
  return resolved;
}

/** A commit id as event payloads carry it; all zeros means none (a new branch). */
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The input `scope`: `tree` (the files of the checkout), `changes` (what the event
 * adds: a pull request's base..head, a push's before..after) or `history` (every blob
 * of every ref). Empty: `changes` on pull_request and push events, else `tree`.
 */
export function scopeSelection(value: string, env: NodeJS.ProcessEnv): HistorySelection | undefined {
  const event = env.GITHUB_EVENT_NAME ?? '';
  const scope = value || (/^(pull_request|pull_request_target|push)$/.test(event) ? 'changes' : 'tree');
  if (scope === 'tree') return undefined;
  if (scope === 'history') return { kind: 'history' };
  if (scope !== 'changes') throw new UserError('ERR_INPUT', `input 'scope' must be tree, changes or history, not '${value}'`);
  let payload: Record<string, unknown>;
  try {
    payload = env.GITHUB_EVENT_PATH ? (JSON.parse(readRegularFile(env.GITHUB_EVENT_PATH, { maxBytes: 64 << 20, what: 'the event payload (GITHUB_EVENT_PATH)', code: 'ERR_INPUT' })) as Record<string, unknown>) : {};
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError('ERR_INPUT', "scope 'changes' needs the event payload, and GITHUB_EVENT_PATH does not hold JSON");
  }
  const pr = payload.pull_request as { base?: { sha?: unknown }; head?: { sha?: unknown } } | undefined;
  const [from, to] = pr ? [pr.base?.sha, pr.head?.sha] : [payload.before, payload.after];
  if (typeof to !== 'string' || !COMMIT.test(to)) throw new UserError('ERR_INPUT', `scope 'changes' works on pull_request and push events; this ${event || 'run'} has no commits to compare: use scope tree or history`);
  // A new branch (before is all zeros): everything it reaches, since nothing tells what it adds.
  if (typeof from !== 'string' || !COMMIT.test(from) || /^0+$/.test(from)) return { kind: 'history', refs: [to] };
  return { kind: 'range', range: `${from}..${to}` };
}

/** Every input read and validated in one place; the rest of the Action never calls getInput. */
export function readInputs(core: ActionInputs, env: NodeJS.ProcessEnv): ActionSettings {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const temp = env.RUNNER_TEMP ? [path.resolve(env.RUNNER_TEMP)] : [];
  const input = (name: string) => core.getInput(name).trim();
  // One path or several, one per line: files or directories, each inside the workspace.
  const paths = (input('path') || '.').split(/\r?\n/).map((p) => p.trim()).filter(Boolean);
  const targets = paths.map((p) => insideWorkspace(p, 'path', workspace, { mustExist: true }));
  // The input, else JWT_GUARD_POLICY (set for a whole job with env:), each a path in the workspace.
  const policy = input('policy') || (env.JWT_GUARD_POLICY ?? '').trim();
  const sarif = input('sarif-file');
  const baseline = input('baseline');
  const jobLogs = jobLogSettings(input, env);
  const tokens = splitTokens(core.getInput('tokens'));
  const hmacSecret = core.getInput('hmac-secret');
  const history = scopeSelection(input('scope'), env);
  return {
    scan: {
      targets,
      targetsAreFiles: targets.map((t) => !statSync(t).isDirectory()),
      base: workspace,
      scanFiles: true,
      format: parseFormat(input('format') || 'text', "input 'format'"),
      failOn: parseFailOn(input('fail-on') || 'error', "input 'fail-on'"),
      ...(policy ? { policyPath: insideWorkspace(policy, input('policy') ? 'policy' : 'policy (from JWT_GUARD_POLICY)', workspace, { mustExist: true }) } : {}),
      ...(baseline ? { baseline: insideWorkspace(baseline, 'baseline', workspace, { mustExist: true }) } : {}),
      ...(tokens.length > 0 ? { tokens } : {}),
      ...(hmacSecret ? { hmacSecret } : {}),
      ...(debugFromEnv(env) ? { debug: true } : {}),
      ...(history ? { history, fetchHistory: true } : {}),
    },
    ...(sarif ? { sarifFile: insideWorkspace(sarif, 'sarif-file', workspace, { extraRoots: temp }) } : {}),
    ...(jobLogs ? { jobLogs } : {}),
  };
}
