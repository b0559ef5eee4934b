import path from 'node:path';
import { runScan } from '../../pipeline/run-scan.js';
import { debugFromEnv, parseFailOn, parseFormat, threadsFromEnv, type ScanSettings } from '../../pipeline/settings.js';
import { reportPieces } from '../../report/index.js';
import { safeText } from '../../report/safe.js';
import { failureLine } from '../../report/summary.js';
import { gitTopLevel, relativeTo, resolveTargets } from '../../sources/files.js';
import { isBareRepository } from '../../sources/git.js';
import { writeFileAtomic } from '../../util/write-file.js';
import type { Command, ParsedValues } from '../command.js';
import { UserError } from '../../errors.js';
import type { HistorySelection } from '../../sources/history.js';
import { EXIT } from '../io.js';

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

export const scanCommand: Command = {
  name: 'scan',
  args: '[PATH...]',
  summary: 'Scan files and directories (default: the current directory) for keys and tokens',
  options: {
    policy: { type: 'string', value: 'FILE', description: "Policy file (default: .github/jwt-guard.json in PATH, then in the repository root;\nwithout one the built-in 'recommended' policy applies)" },
    format: { type: 'string', default: 'text', value: 'FORMAT', description: 'text (default), json or sarif' },
    output: { type: 'string', value: 'FILE', description: 'Write the report to FILE instead of standard output' },
    'fail-on': { type: 'string', default: 'error', value: 'LEVEL', description: 'error (default), warning, note or none: exit 1 on findings at or above it' },
    baseline: { type: 'string', value: 'FILE', description: 'Accept the findings recorded in FILE' },
    'write-baseline': { type: 'string', value: 'FILE', description: 'Record every current finding in FILE (and exit 0)' },
    'stdin-log': { type: 'boolean', default: false, description: 'Scan standard input as a log (files too only when PATH is given); diffs in it (git log -p)\nare read as the files they add' },
    'stdin-diff': { type: 'boolean', default: false, description: 'Scan standard input as a unified diff (git diff, git log -p, a patch): the files it adds' },
    history: { type: 'boolean', default: false, description: 'Scan every blob in the git history of PATH (each once), not the work tree' },
    refs: { type: 'string', value: 'REFS', description: 'With --history: only what these refs reach (comma-separated; default: every ref)' },
    range: { type: 'string', value: 'A..B', description: 'Scan only the blobs the commits of a range introduce (what a push or a pull request adds)' },
    since: { type: 'string', value: 'DATE', description: 'Scan only the blobs introduced by commits since DATE (with --range or alone, on HEAD)' },
    staged: { type: 'boolean', default: false, description: 'Scan the staged changes, as they will be committed (for pre-commit)' },
    'no-color': { type: 'boolean', default: false, description: 'No colour in text output (also NO_COLOR=1)' },
    color: { type: 'boolean', default: false, description: 'Colour in text output even when not on a terminal', hidden: true },
  },
  async run(values, positionals, io) {
    const resolve = (p: string) => path.resolve(io.cwd, p);
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
      ...(values.policy ? { policyPath: resolve(values.policy as string) } : {}),
      ...(values.baseline ? { baseline: resolve(values.baseline as string) } : {}),
      ...(values['write-baseline'] ? { writeBaseline: resolve(values['write-baseline'] as string) } : {}),
      ...(values['stdin-log'] || values['stdin-diff'] ? { stdinLog: () => io.stdin() } : {}),
      ...(values['stdin-diff'] ? { stdinDiff: true } : {}),
      ...(io.workerEntry ? { parallel: { entry: io.workerEntry, ...(threads ? { threads } : {}) } } : {}),
      ...(debugFromEnv(io.env) ? { debug: true } : {}),
      ...(history ? { history } : {}),
    };
    const outcome = await runScan(settings);
    const colour = !values.output && !values['no-color'] && !io.env.NO_COLOR && (Boolean(values.color) || Boolean(io.stdout.isTTY) || Boolean(io.env.FORCE_COLOR));
    const tty = !values.output && Boolean(io.stdout.isTTY);
    const report = reportPieces(settings.format, outcome, { colour, paths: { cwd: io.cwd, base }, ...(tty && io.stdout.columns ? { width: io.stdout.columns } : {}) });
    if (values.output) {
      await writeFileAtomic(resolve(values.output as string), report);
      io.stderr.write(`jwt-guard: ${settings.format} report written to ${safeText(values.output as string)}\n`);
    } else {
      for (const piece of report) io.stdout.write(piece);
    }
    if (settings.writeBaseline) {
      io.stderr.write(`jwt-guard: baseline of ${outcome.result.findings.length + outcome.summary.suppressed.baseline} findings written to ${safeText(values['write-baseline'] as string)}\n`);
      return EXIT.clean;
    }
    if (!outcome.summary.passed) {
      if (settings.format !== 'text' || values.output) io.stderr.write(`${failureLine(outcome.summary)}\n`);
      return EXIT.findings;
    }
    return EXIT.clean;
  },
};
