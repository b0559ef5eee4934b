import path from 'node:path';
import { runScan } from '../../pipeline/run-scan.js';
import { debugFromEnv, parseFailOn, parseFormat, threadsFromEnv, type ScanSettings } from '../../pipeline/settings.js';
import { reportPieces } from '../../report/index.js';
import { safeText } from '../../report/safe.js';
import { failureLine } from '../../report/summary.js';
import { resolveTargets } from '../../sources/files.js';
import { writeFileAtomic } from '../../util/write-file.js';
import type { Command } from '../command.js';
import { EXIT } from '../io.js';

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
    'stdin-log': { type: 'boolean', default: false, description: 'Scan standard input as a log (files too only when PATH is given)' },
    'no-color': { type: 'boolean', default: false, description: 'No colour in text output (also NO_COLOR=1)' },
    color: { type: 'boolean', default: false, description: 'Colour in text output even when not on a terminal', hidden: true },
  },
  async run(values, positionals, io) {
    const resolve = (p: string) => path.resolve(io.cwd, p);
    const { targets, targetsAreFiles, base } = await resolveTargets(positionals, io.cwd, io.env);
    const threads = threadsFromEnv(io.env);
    const settings: ScanSettings = {
      targets,
      targetsAreFiles,
      base,
      scanFiles: !values['stdin-log'] || positionals.length > 0,
      format: parseFormat(values.format as string, '--format'),
      failOn: parseFailOn(values['fail-on'] as string, '--fail-on'),
      ...(values.policy ? { policyPath: resolve(values.policy as string) } : {}),
      ...(values.baseline ? { baseline: resolve(values.baseline as string) } : {}),
      ...(values['write-baseline'] ? { writeBaseline: resolve(values['write-baseline'] as string) } : {}),
      ...(values['stdin-log'] ? { stdinLog: () => io.stdin() } : {}),
      ...(io.workerEntry ? { parallel: { entry: io.workerEntry, ...(threads ? { threads } : {}) } } : {}),
      ...(debugFromEnv(io.env) ? { debug: true } : {}),
    };
    const outcome = await runScan(settings);
    const colour = !values.output && !values['no-color'] && !io.env.NO_COLOR && (Boolean(values.color) || Boolean(io.stdout.isTTY) || Boolean(io.env.FORCE_COLOR));
    const report = reportPieces(settings.format, outcome, { colour });
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
