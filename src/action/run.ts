import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isUserError, PolicyError } from '../errors.js';
import { runMint } from './mint.js';
import { planAnnotations } from '../report/annotations.js';
import { renderJobSummary } from '../report/job-summary.js';
import { logLine } from '../report/safe.js';
import { sarifPieces } from '../report/sarif.js';
import { failureLine } from '../report/summary.js';
import { runScan } from '../pipeline/run-scan.js';
import { linesOf, reportPieces } from '../report/index.js';
import { writeFileAtomic } from '../util/write-file.js';
import type { ActionCore } from './core.js';
import { maskSecretInputs, readInputs, readMode } from './inputs.js';
import { threadsFromEnv } from '../pipeline/settings.js';
import { checkResults, renderCheckText } from '../check/run.js';
import { getOctokit } from '@actions/github';
import { fetchJobLogs, JOB_LOG_MAX_BYTES } from '../sources/job-logs.js';

export type { ActionCore };

/**
 * The Action: inputs → core scan → log, SARIF file, annotations, job summary, outputs.
 * `core` and the environment are injected; main.ts passes the real ones.
 */
export async function runAction(core: ActionCore, env: NodeJS.ProcessEnv, workerEntry?: URL): Promise<void> {
  try {
    // Secrets handed to the Action are masked before anything else happens, so no later line can print them.
    maskSecretInputs(core);
    if (readMode(core) === 'mint') return await runMint(core, env);
    const settings = readInputs(core, env);
    if (workerEntry) {
      const threads = threadsFromEnv(env);
      settings.scan.parallel = { entry: workerEntry, ...(threads ? { threads } : {}) };
    }
    const { jobLogs } = settings;
    const outcome = await runScan(
      settings.scan,
      jobLogs &&
        (async (policy, spool) => {
          const capped = policy.files.maxFileSize < JOB_LOG_MAX_BYTES;
          const logs = await fetchJobLogs({
            octokit: getOctokit(jobLogs.token),
            repository: jobLogs.repository,
            runId: jobLogs.runId,
            apiUrl: jobLogs.apiUrl,
            spool,
            maxBytes: capped ? policy.files.maxFileSize : JOB_LOG_MAX_BYTES,
            capName: capped ? 'files.maxFileSize' : 'the job-log cap',
            ...(jobLogs.stallMs ? { stallMs: jobLogs.stallMs } : {}),
          });
          core.info(logLine(`Read the logs of ${logs.scanned} completed job${logs.scanned === 1 ? '' : 's'} of run ${jobLogs.runId}${logs.skipped.length > 0 ? `; ${logs.skipped.length} not read completely (see the report)` : ''}.`));
          return logs;
        }),
    );
    const { result, summary } = outcome;

    // File names and messages come from scanned files: stop workflow commands while printing them.
    const token = randomBytes(16).toString('hex');
    core.startGroup(`jwt-guard: ${summary.findings} finding${summary.findings === 1 ? '' : 's'} (policy: ${outcome.policy.source})`);
    core.info(`::stop-commands::${token}`);
    for (const line of linesOf(reportPieces(settings.scan.format, outcome, { colour: false }))) core.info(logLine(line));
    core.info(`::${token}::`);
    core.endGroup();

    if (settings.sarifFile) {
      await writeFileAtomic(settings.sarifFile, sarifPieces(result));
      core.info(logLine(`SARIF written to ${settings.sarifFile}`));
    }
    for (const annotation of planAnnotations(result.findings)) {
      const { level, message, ...properties } = annotation;
      core[level](message, properties);
    }
    if (env.GITHUB_STEP_SUMMARY) {
      await core.summary.addRaw(renderJobSummary(result, summary, undefined, env.GITHUB_REPOSITORY ? { serverUrl: env.GITHUB_SERVER_URL || 'https://github.com', repository: env.GITHUB_REPOSITORY, ...(env.GITHUB_SHA ? { sha: env.GITHUB_SHA } : {}) } : undefined)).write();
    } else {
      core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written');
    }
    core.setOutput('findings', String(summary.findings));
    core.setOutput('sarif-file', settings.sarifFile ?? '');
    if (outcome.checked) {
      for (const line of renderCheckText(outcome.checked).trimEnd().split('\n')) core.info(logLine(line));
      core.setOutput('valid', String(outcome.checked.every((c) => c.valid)));
      core.setOutput('results', JSON.stringify(checkResults(outcome.checked)));
    }
    if (!summary.passed) core.setFailed(failureLine(summary));
  } catch (error) {
    if (isUserError(error)) {
      if (error instanceof PolicyError) annotatePolicy(core, env, error);
      core.setFailed(`jwt-guard: ${error.message}`);
    } else {
      core.setFailed(`jwt-guard: internal error: ${(error as Error)?.message ?? String(error)}`);
      core.debug((error as Error)?.stack ?? '');
    }
  }
}

/**
 * Each problem of a policy the scan refused, annotated on the policy file at its line and
 * column (the failure message still lists them all). Problems of a built-in preset have
 * no file to annotate.
 */
function annotatePolicy(core: ActionCore, env: NodeJS.ProcessEnv, error: PolicyError): void {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  for (const problem of error.problems) {
    if (problem.file.startsWith('<')) continue;
    const file = path.isAbsolute(problem.file) ? path.relative(workspace, problem.file) : problem.file;
    core.error(`${problem.pointer || '(document)'}: ${problem.message}`, { title: 'jwt-guard policy', file: file.split(path.sep).join('/'), startLine: problem.line, startColumn: problem.column });
  }
}
