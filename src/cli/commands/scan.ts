import path from 'node:path';
import { runScan, type ScanOutcome } from '../../pipeline/run-scan.js';
import { debugFromEnv, parseFailOn, parseFormat, threadsFromEnv, type ScanSettings } from '../../pipeline/settings.js';
import { reportPieces } from '../../report/index.js';
import { safeText } from '../../report/safe.js';
import { failureLine, scannedLine } from '../../report/summary.js';
import { gitTopLevel, relativeTo, resolveTargets } from '../../sources/files.js';
import { isBareRepository } from '../../sources/git.js';
import { gathered, writeFileAtomic } from '../../util/write-file.js';
import type { Command, ParsedValues } from '../command.js';
import { UserError } from '../../errors.js';
import type { HistorySelection } from '../../sources/history.js';
import { EXIT, EXIT_CODE_OPTION, parseExitCode, policyChoice, teeInput, type CliIo } from '../io.js';

/** What part of the history the flags select, if any: --history (with --refs), --range and --since, or --staged, one at a time. */
function historySelection(values: ParsedValues): HistorySelection | undefined {
  const chosen = [values.history && '--history', (values.range || values.since) && '--range/--since', values.staged && '--staged'].filter(Boolean);
  if (chosen.length > 1) throw new UserError('ERR_USAGE', `${chosen.join(' and ')} cannot be combined: choose one`);
  if (values.refs && !values.history) throw new UserError('ERR_USAGE', '--refs goes with --history');
  if ((values['stdin-log'] || values['stdin-diff']) && chosen.length > 0) throw new UserError('ERR_USAGE', `--stdin-log and --stdin-diff cannot be combined with ${chosen[0]}`);
  const since = typeof values.since === 'string' ? { since: values.since } : {};
  if (values.history) {
    const refs = typeof values.refs === 'string' ? values.refs.split(',').map((r) => r.trim()).filter(Boolean) : [];
    return { kind: 'history', ...(refs.length > 0 ? { refs } : {}) };
  }
  if (values.range || values.since) return { kind: 'range', ...(typeof values.range === 'string' ? { range: values.range } : {}), ...since };
  if (values.staged) return { kind: 'staged' };
  return undefined;
}

/** History is read from one repository: a directory in a work tree, or a bare repository (not for --staged: it has no index). */
async function historyTarget(history: HistorySelection, targets: string[], targetsAreFiles: boolean[], io: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  const flag = history.kind === 'staged' ? '--staged' : history.kind === 'range' ? '--range' : '--history';
  const [target] = targets;
  if (targets.length !== 1 || targetsAreFiles[0] || target === undefined) throw new UserError('ERR_USAGE', `${flag} reads one git repository: give one directory in it as PATH, or none for the current directory`);
  if (await gitTopLevel(target, io.env)) return;
  if (history.kind !== 'staged' && (await isBareRepository(target))) return;
  const where = safeText(relativeTo(io.cwd, target) || '.');
  throw new UserError('ERR_USAGE', history.kind === 'staged' ? `${flag} reads the index of a git work tree, and ${where} is not in one` : `${flag} reads a git repository, and ${where} is neither in a work tree nor a bare repository`);
}

/** --verbose, on standard error: which policy was read, what the scan covered and how long it took, with how many threads. */
function verboseLines(outcome: ScanOutcome, settings: ScanSettings, io: CliIo): void {
  const { policy, result, summary } = outcome;
  const source = path.isAbsolute(policy.source) ? safeText(relativeTo(io.cwd, policy.source) || policy.source) : policy.source;
  const threads = settings.parallel ? (settings.parallel.threads ?? 'one per core for a large tree') : 1;
  io.stderr.write(`jwt-guard: policy ${source}${settings.policyFrom ? ` (from ${settings.policyFrom})` : ''}; fails on ${summary.failOn}\n`);
  io.stderr.write(`jwt-guard: ${scannedLine(summary)}; ${result.findings.length} findings, ${result.suppressed.length} suppressed, ${result.skipped.length} skipped; reading threads: ${threads}\n`);
}

export const scanCommand: Command = {
  name: 'scan',
  args: '[PATH...]',
  summary: 'Scan files and directories (default: the current directory) for keys and tokens',
  options: {
    policy: { type: 'string', value: 'FILE', description: "Policy file (default: JWT_GUARD_POLICY, else .github/jwt-guard.json, jwt-guard.json\nor .jwt-guard.json in PATH, then in the repository root; without one the built-in\n'recommended' policy applies)" },
    format: { type: 'string', default: 'text', value: 'FORMAT', description: 'text (default), json or sarif' },
    output: { type: 'string', value: 'FILE', description: 'Write the report to FILE instead of standard output' },
    'fail-on': { type: 'string', default: 'error', value: 'LEVEL', description: 'error (default), warning, note or none: exit 1 on findings at or above it' },
    baseline: { type: 'string', value: 'FILE', description: 'Accept the findings recorded in FILE' },
    'write-baseline': { type: 'string', value: 'FILE', description: 'Record every current finding in FILE (and exit 0)' },
    'stdin-log': { type: 'boolean', default: false, description: 'Scan standard input as a log (files too only when PATH is given); diffs in it (git log -p)\nare read as the files they add' },
    'stdin-diff': { type: 'boolean', default: false, description: 'Scan standard input as a unified diff (git diff, git log -p, a patch): the files it adds' },
    tee: { type: 'boolean', default: false, description: 'With --stdin-log or --stdin-diff: pass the input through to standard output unchanged,\nand write the report to standard error (or --output)' },
    history: { type: 'boolean', default: false, description: 'Scan every blob in the git history of PATH (each once), not the work tree' },
    refs: { type: 'string', value: 'REFS', description: 'With --history: only what these refs reach (comma-separated; default: every ref)' },
    range: { type: 'string', value: 'A..B', description: 'Scan only the blobs the commits of a range introduce (what a push or a pull request adds)' },
    since: { type: 'string', value: 'DATE', description: 'Scan only the blobs introduced by commits since DATE (with --range or alone, on HEAD)' },
    staged: { type: 'boolean', default: false, description: 'Scan the staged changes, as they will be committed (for pre-commit)' },
    'exit-code': EXIT_CODE_OPTION,
    quiet: { type: 'boolean', default: false, short: 'q', description: 'Only the findings that fail the run and why; no output when it passes' },
    verbose: { type: 'boolean', default: false, short: 'v', description: 'Also the policy read, what was scanned and how long it took (on standard error),\nand every suppressed finding with what accepted it and why' },
    'no-color': { type: 'boolean', default: false, description: 'No colour in text output (also NO_COLOR=1)' },
    color: { type: 'boolean', default: false, description: 'Colour in text output even when not on a terminal', hidden: true },
  },
  async run(values, positionals, io) {
    const resolve = (p: string) => path.resolve(io.cwd, p);
    const exitCode = parseExitCode(values['exit-code']);
    if (values.quiet && values.verbose) throw new UserError('ERR_USAGE', '--quiet and --verbose cannot be combined: choose one');
    if (values.tee && !(values['stdin-log'] || values['stdin-diff'])) throw new UserError('ERR_USAGE', '--tee passes standard input through: it goes with --stdin-log or --stdin-diff');
    const tee = values.tee ? teeInput(io) : undefined;
    const detail = values.quiet ? 'quiet' : values.verbose ? 'verbose' : undefined;
    const history = historySelection(values);
    const { targets, targetsAreFiles, base } = await resolveTargets(positionals, io.cwd, io.env);
    if (history) await historyTarget(history, targets, targetsAreFiles, io);
    const threads = threadsFromEnv(io.env);
    const settings: ScanSettings = {
      targets,
      targetsAreFiles,
      base,
      scanFiles: !(values['stdin-log'] || values['stdin-diff']) || positionals.length > 0,
      format: parseFormat(values.format as string, '--format'),
      failOn: parseFailOn(values['fail-on'] as string, '--fail-on'),
      ...policyChoice(io, values.policy),
      ...(values.baseline ? { baseline: resolve(values.baseline as string) } : {}),
      ...(values['write-baseline'] ? { writeBaseline: resolve(values['write-baseline'] as string) } : {}),
      ...(values['stdin-log'] || values['stdin-diff'] ? { stdinLog: () => tee?.chunks ?? io.stdin() } : {}),
      ...(values['stdin-diff'] ? { stdinDiff: true } : {}),
      ...(io.workerEntry ? { parallel: { entry: io.workerEntry, ...(threads ? { threads } : {}) } } : {}),
      ...(debugFromEnv(io.env) ? { debug: true } : {}),
      ...(history ? { history } : {}),
    };
    let outcome: ScanOutcome;
    try {
      outcome = await runScan(settings);
    } finally {
      // What the scan did not read (beyond files.maxFileSize, reported as incomplete; all of it after a policy error) still passes through.
      await tee?.rest();
    }
    // With --tee, standard output carries the input: the report goes to standard error.
    const out = tee ? io.stderr : io.stdout;
    if (detail === 'verbose') verboseLines(outcome, settings, io);
    const colour = !values.output && !values['no-color'] && !io.env.NO_COLOR && (Boolean(values.color) || Boolean(out.isTTY) || Boolean(io.env.FORCE_COLOR));
    const tty = !values.output && Boolean(out.isTTY);
    const report = reportPieces(settings.format, outcome, { colour, paths: { cwd: io.cwd, base }, ...(detail ? { detail } : {}), ...(tty && out.columns ? { width: out.columns } : {}) });
    if (values.output) {
      await writeFileAtomic(resolve(values.output as string), report);
      if (!values.quiet) io.stderr.write(`jwt-guard: ${settings.format} report written to ${safeText(values.output as string)}\n`);
    } else {
      for (const piece of gathered(report)) out.write(piece);
    }
    if (settings.writeBaseline) {
      io.stderr.write(`jwt-guard: baseline of ${outcome.result.findings.length + outcome.summary.suppressed.baseline} findings written to ${safeText(values['write-baseline'] as string)}\n`);
      return EXIT.clean;
    }
    if (!outcome.summary.passed) {
      // Why the run fails, on standard error, where the report does not already say it (a text report there, or --tee's report).
      if (values.output || (settings.format !== 'text' && !tee)) io.stderr.write(`${failureLine(outcome.summary)}\n`);
      return exitCode;
    }
    return EXIT.clean;
  },
};
