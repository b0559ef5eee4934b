import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';
import { DEFAULT_POLICY_PATH, loadPolicy, parsePolicyText } from '../policy/load.js';
import { checkResults, renderCheckText, runCheck, splitTokens } from '../check/run.js';
import { renderSarif } from '../report/sarif.js';
import { starterPolicy } from '../policy/init.js';
import { renderReport, runScan, writeFileAtomic } from '../run.js';
import { parseFailOn, parseFormat, type ScanSettings } from '../settings.js';
import { gitTopLevel } from '../sources/files.js';
import { VERSION } from '../version.js';
import { failureLine } from '../report/summary.js';

/** What the CLI may touch, injected so tests run it in-process. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  readStdin(): Promise<string>;
}

export const EXIT = { clean: 0, findings: 1, usage: 2, internal: 3 } as const;

const USAGE = `Usage: jwt-guard <command> [options]

Commands:
  scan [PATH]        Scan PATH (default: the current directory) for private keys
  check [TOKEN...]   Verify tokens against the policy and its trusted keys
  init [DIR]         Write a starter policy to DIR/${DEFAULT_POLICY_PATH}
  help               Show this help

Scan options:
  --policy FILE          Policy file (default: ${DEFAULT_POLICY_PATH} in PATH, then in the repository root;
                         without one the built-in 'recommended' policy applies)
  --format FORMAT        text (default), json or sarif
  --output FILE          Write the report to FILE instead of standard output
  --fail-on LEVEL        error (default), warning, note or none: exit 1 on findings at or above it
  --baseline FILE        Accept the findings recorded in FILE
  --write-baseline FILE  Record every current finding in FILE (and exit 0)
  --stdin-log            Scan standard input as a log (files too only when PATH is given)
  --no-color             No colour in text output (also NO_COLOR=1)

Check options (tokens come from the arguments, --file, or standard input, one per line):
  --file FILE            Read tokens from FILE
  --policy FILE          Policy file, as for scan
  --format FORMAT        text (default), json or sarif
  --output FILE          Write the report to FILE
  --hmac-secret-file F   The secret for HS* tokens (or the JWT_GUARD_HMAC_SECRET environment variable)

Init options:
  --preset NAME          recommended (default) or strict

Exit codes: 0 clean (or only findings below --fail-on), 1 findings, 2 usage or policy error, 3 internal error.
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'scan':
      return scanCommand(rest, io);
    case 'init':
      return initCommand(rest, io);
    case 'check':
      return checkCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(USAGE);
      return command === undefined ? EXIT.usage : EXIT.clean;
    case '--version':
    case '-v':
      io.stdout.write(`${VERSION}\n`);
      return EXIT.clean;
    default:
      throw new UserError('ERR_USAGE', `unknown command '${command}'\n\n${USAGE}`);
  }
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError('ERR_USAGE', `${(error as Error).message}\n\n${USAGE}`);
  }
}

async function scanCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    policy: { type: 'string' },
    format: { type: 'string', default: 'text' },
    output: { type: 'string' },
    'fail-on': { type: 'string', default: 'error' },
    baseline: { type: 'string' },
    'write-baseline': { type: 'string' },
    'stdin-log': { type: 'boolean', default: false },
    'no-color': { type: 'boolean', default: false },
    color: { type: 'boolean', default: false },
  });
  if (positionals.length > 1) throw new UserError('ERR_USAGE', `scan takes one PATH, got ${positionals.length}`);
  const resolve = (p: string) => path.resolve(io.cwd, p);
  const root = resolve(positionals[0] ?? '.');
  if (!existsSync(root)) throw new UserError('ERR_USAGE', `no such directory: ${positionals[0]}`);
  const settings: ScanSettings = {
    root,
    base: (await gitTopLevel(root)) ?? root,
    scanFiles: !values['stdin-log'] || positionals.length > 0,
    format: parseFormat(values.format as string, '--format'),
    failOn: parseFailOn(values['fail-on'] as string, '--fail-on'),
    ...(values.policy ? { policyPath: resolve(values.policy as string) } : {}),
    ...(values.baseline ? { baseline: resolve(values.baseline as string) } : {}),
    ...(values['write-baseline'] ? { writeBaseline: resolve(values['write-baseline'] as string) } : {}),
    ...(values['stdin-log'] ? { stdinLog: await io.readStdin() } : {}),
  };
  const outcome = await runScan(settings);
  const colour = !values.output && !values['no-color'] && !io.env.NO_COLOR && (Boolean(values.color) || Boolean(io.stdout.isTTY) || Boolean(io.env.FORCE_COLOR));
  const report = renderReport(settings.format, outcome, { colour });
  if (values.output) {
    await writeFileAtomic(resolve(values.output as string), report);
    io.stderr.write(`jwt-guard: ${settings.format} report written to ${values.output}\n`);
  } else {
    io.stdout.write(report);
  }
  if (settings.writeBaseline) {
    io.stderr.write(`jwt-guard: baseline of ${outcome.result.findings.length + outcome.summary.suppressed.baseline} findings written to ${values['write-baseline']}\n`);
    return EXIT.clean;
  }
  if (!outcome.summary.passed) {
    if (settings.format !== 'text' || values.output) io.stderr.write(`${failureLine(outcome.summary)}\n`);
    return EXIT.findings;
  }
  return EXIT.clean;
}

async function initCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { preset: { type: 'string', default: 'recommended' } });
  const preset = values.preset as string;
  if (preset !== 'recommended' && preset !== 'strict') throw new UserError('ERR_USAGE', `--preset must be recommended or strict, not '${preset}'`);
  const file = path.resolve(io.cwd, positionals[0] ?? '.', DEFAULT_POLICY_PATH);
  if (existsSync(file)) {
    throw new UserError('ERR_EXISTS', `${path.relative(io.cwd, file) || file} already exists; not overwriting it (edit it, or remove it first)`);
  }
  const text = starterPolicy(preset);
  parsePolicyText(text, file); // the starter must itself be valid
  await writeFileAtomic(file, text);
  io.stdout.write(`wrote ${path.relative(io.cwd, file)} (extends '${preset}'); commit it, and jwt-guard scan will use it\n`);
  return EXIT.clean;
}

async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    file: { type: 'string' },
    policy: { type: 'string' },
    format: { type: 'string', default: 'text' },
    output: { type: 'string' },
    'hmac-secret-file': { type: 'string' },
  });
  const resolve = (p: string) => path.resolve(io.cwd, p);
  const format = parseFormat(values.format as string, '--format');
  let tokens = positionals;
  if (values.file) tokens = [...tokens, ...splitTokens(await readInput(resolve(values.file as string), '--file'))];
  if (positionals.length === 0 && !values.file) tokens = splitTokens(await io.readStdin());
  if (tokens.length === 0) throw new UserError('ERR_USAGE', 'check needs tokens: as arguments, with --file, or on standard input (one per line)');
  const hmacSecret = values['hmac-secret-file'] ? (await readInput(resolve(values['hmac-secret-file'] as string), '--hmac-secret-file')).replace(/\r?\n$/, '') : io.env.JWT_GUARD_HMAC_SECRET;
  const base = (await gitTopLevel(io.cwd)) ?? io.cwd;
  const policy = loadPolicy({ ...(values.policy ? { policyPath: resolve(values.policy as string) } : {}), searchRoots: [io.cwd, base] });
  const checked = await runCheck(policy, { tokens, base, ...(hmacSecret ? { hmacSecret } : {}) });
  const failures = checked.flatMap((c) => (c.failure ? [c.failure] : []));
  const report =
    format === 'json'
      ? `${JSON.stringify({ version: 1, policy: policy.source, results: checkResults(checked), summary: { tokens: checked.length, valid: checked.length - failures.length, invalid: failures.length } }, null, 2)}\n`
      : format === 'sarif'
        ? renderSarif({ findings: failures })
        : renderCheckText(checked);
  if (values.output) await writeFileAtomic(resolve(values.output as string), report);
  else io.stdout.write(report);
  return failures.length > 0 ? EXIT.findings : EXIT.clean;
}

async function readInput(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError('ERR_USAGE', `${option}: cannot read ${file} (${(error as { code?: string }).code ?? (error as Error).message})`);
  }
}
