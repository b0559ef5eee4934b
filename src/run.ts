import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errorCode, errorKind, UserError } from './errors.js';
import { loadTrustedKeys } from './analyze/trusted.js';
import { loadPolicy } from './policy/load.js';
import type { Policy } from './policy/types.js';
import { readBaseline, renderBaseline } from './report/baseline.js';
import { jsonReportPieces } from './report/json.js';
import { sarifPieces } from './report/sarif.js';
import { summarize, type Summary } from './report/summary.js';
import { renderText } from './report/text.js';
import { scan } from './scan.js';
import { runCheck } from './check/run.js';
import type { CheckedToken } from './check/check.js';
import type { Format, ScanSettings } from './settings.js';
import type { ScanResult, SkippedFile } from './types.js';
import type { FileEntry } from './sources/files.js';
import { Spool } from './sources/spool.js';
import { append } from './util/arrays.js';

export interface ScanOutcome {
  policy: Policy;
  result: ScanResult;
  summary: Summary;
  /** Verdicts on the tokens given to check, when any were. */
  checked?: CheckedToken[];
}

/** Text from beyond the file tree (CI job logs), fetched once the policy is known and written to the spool as it arrives. */
export type ExtraSource = (policy: Policy, spool: Spool) => Promise<{ files: FileEntry[]; skipped: SkippedFile[] }>;

/** Policy first (a bad one stops the run before any file is read), then the scan. */
export async function runScan(settings: ScanSettings, extraSource?: ExtraSource): Promise<ScanOutcome> {
  const policy = loadPolicy({ ...(settings.policyPath ? { policyPath: settings.policyPath } : {}), searchRoots: [policyRoot(settings), settings.base] });
  const trusted = await loadTrustedKeys(policy.keys.trusted, settings.base);
  const baseline = settings.baseline ? readBaseline(settings.baseline) : undefined;
  const spool = settings.stdinLog || extraSource ? new Spool() : undefined;
  try {
    const extraFiles: FileEntry[] = [];
    const extraSkipped: SkippedFile[] = [];
    if (settings.stdinLog && spool) {
      // Standard input streams to a private file and is read like any file: bounded memory, whatever its size.
      const spooled = await spool.write(settings.stdinLog(), policy.files.maxFileSize);
      extraFiles.push({ absolute: spooled.file, relative: STDIN_PATH, kind: 'log' });
      if (spooled.truncated) extraSkipped.push({ file: STDIN_PATH, reason: 'too-large', detail: `standard input is larger than files.maxFileSize: ${spooled.truncated}`, unitKind: 'log' });
      if (spooled.failed !== undefined) extraSkipped.push({ file: STDIN_PATH, reason: 'unreadable', detail: `standard input broke off after ${spooled.bytes} bytes (${errorKind(spooled.failed)}); only that part was scanned`, unitKind: 'log' });
    }
    if (extraSource && spool) {
      const extra = await extraSource(policy, spool);
      append(extraFiles, extra.files);
      append(extraSkipped, extra.skipped);
    }
    const result = await scan({
      targets: settings.targets,
      base: settings.base,
      scanFiles: settings.scanFiles,
      policy,
      trusted,
      ...(settings.parallel ? { parallel: settings.parallel } : {}),
      ...(baseline ? { baseline } : {}),
      extraFiles,
      extraSkipped,
      ...(settings.debug ? { debug: true } : {}),
    });
    let checked: CheckedToken[] | undefined;
    if (settings.tokens && settings.tokens.length > 0) {
      checked = await runCheck(policy, { tokens: settings.tokens, base: settings.base, ...(settings.hmacSecret ? { hmacSecret: settings.hmacSecret } : {}) });
      // A refused token is a finding like any other, and no baseline or inline comment can accept it.
      result.findings = [...checked.flatMap((c) => (c.failure ? [c.failure] : [])), ...result.findings];
    }
    if (settings.writeBaseline) {
      // Everything found now is accepted from here on: the new findings and those the old baseline held (never a gap: see baselineSuppressor).
      const accepted = [...result.findings, ...result.suppressed.filter((s) => s.suppressedBy === 'baseline')].filter((f) => f.ruleId !== 'incomplete-scan');
      await writeFileAtomic(settings.writeBaseline, renderBaseline(accepted));
    }
    return { policy, result, summary: summarize(result, settings.failOn), ...(checked ? { checked } : {}) };
  } finally {
    spool?.remove();
  }
}

/** The display path of standard input. */
export const STDIN_PATH = '<stdin>';

/** Where the policy is looked for first: the first target when it is a directory, else the repository root. */
function policyRoot(settings: ScanSettings): string {
  const first = settings.targets[0];
  return first && !settings.targetsAreFiles?.[0] ? first : settings.base;
}

export function renderReport(format: Format, outcome: ScanOutcome, options: { colour: boolean }): string {
  return [...reportPieces(format, outcome, options)].join('');
}

/** The report in pieces, so that a large one is written without being held whole (JSON and SARIF come one finding a piece). */
export function reportPieces(format: Format, outcome: ScanOutcome, options: { colour: boolean }): Iterable<string> {
  switch (format) {
    case 'json':
      return jsonReportPieces(outcome.result, outcome.summary, outcome.policy.source);
    case 'sarif':
      return sarifPieces(outcome.result);
    case 'text':
      return [renderText(outcome.result, outcome.summary, options)];
  }
}

/** The lines of text that arrives in pieces, each without its line break. */
export function* linesOf(pieces: Iterable<string>): Generator<string> {
  let carry = '';
  for (const piece of pieces) {
    const parts = (carry + piece).split('\n');
    carry = parts.pop()!;
    yield* parts;
  }
  if (carry) yield carry;
}

/**
 * Writes a whole file or nothing: a temporary file beside it, then a rename. A path that
 * cannot be written (a directory, no permission) is the user's to fix: a UserError naming it.
 */
export async function writeFileAtomic(file: string, content: string | Iterable<string>, mode = 0o644): Promise<void> {
  const target = path.resolve(file);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (typeof content === 'string') await fs.writeFile(temporary, content, { mode, flag: 'wx' });
    else {
      const handle = await fs.open(temporary, 'wx', mode);
      try {
        for (const piece of content) await handle.write(piece);
      } finally {
        await handle.close();
      }
    }
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw new UserError('ERR_WRITE', `cannot write ${file}: ${errorCode(error) ?? errorKind(error)}`, { cause: error });
  }
}
