import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.js';
import { loadTrustedKeys } from './analyze/trusted.js';
import { loadPolicy } from './policy/load.js';
import type { Policy } from './policy/types.js';
import { readBaseline, renderBaseline } from './report/baseline.js';
import { renderJson } from './report/json.js';
import { renderSarif } from './report/sarif.js';
import { summarize, type Summary } from './report/summary.js';
import { renderText } from './report/text.js';
import { scan } from './scan.js';
import { runCheck } from './check/run.js';
import type { CheckedToken } from './check/check.js';
import type { Format, ScanSettings } from './settings.js';
import type { ScanResult, SkippedFile, TextUnit } from './types.js';

export interface ScanOutcome {
  policy: Policy;
  result: ScanResult;
  summary: Summary;
  /** Verdicts on the tokens given to check, when any were. */
  checked?: CheckedToken[];
}

/** Text from beyond the file tree (CI job logs), fetched once the policy is known. */
export type ExtraSource = (policy: Policy) => Promise<{ units: TextUnit[]; skipped: SkippedFile[] }>;

/** Policy first (a bad one stops the run before any file is read), then the scan. */
export async function runScan(settings: ScanSettings, extraSource?: ExtraSource): Promise<ScanOutcome> {
  const policy = loadPolicy({ ...(settings.policyPath ? { policyPath: settings.policyPath } : {}), searchRoots: [settings.root, settings.base] });
  const trusted = await loadTrustedKeys(policy.keys.trusted, settings.base);
  const baseline = settings.baseline ? readBaseline(settings.baseline) : undefined;
  const extraUnits: TextUnit[] = settings.stdinLog !== undefined ? [{ path: '<stdin>', kind: 'log', text: settings.stdinLog }] : [];
  const extra = extraSource ? await extraSource(policy) : { units: [], skipped: [] };
  extraUnits.push(...extra.units);
  const result = await scan({ root: settings.root, base: settings.base, scanFiles: settings.scanFiles, policy, trusted, ...(settings.parallel ? { parallel: settings.parallel } : {}), ...(baseline ? { baseline } : {}), extraUnits, extraSkipped: extra.skipped });
  let checked: CheckedToken[] | undefined;
  if (settings.tokens && settings.tokens.length > 0) {
    checked = await runCheck(policy, { tokens: settings.tokens, base: settings.base, ...(settings.hmacSecret ? { hmacSecret: settings.hmacSecret } : {}) });
    // A refused token is a finding like any other, and no baseline or inline comment can accept it.
    result.findings.unshift(...checked.flatMap((c) => (c.failure ? [c.failure] : [])));
  }
  if (settings.writeBaseline) {
    // Everything found now is accepted from here on: the new findings and those the old baseline held.
    const accepted = [...result.findings, ...result.suppressed.filter((s) => s.suppressedBy === 'baseline')];
    await writeFileAtomic(settings.writeBaseline, renderBaseline(accepted));
  }
  return { policy, result, summary: summarize(result, settings.failOn), ...(checked ? { checked } : {}) };
}

export function renderReport(format: Format, outcome: ScanOutcome, options: { colour: boolean }): string {
  switch (format) {
    case 'json':
      return renderJson(outcome.result, outcome.summary, outcome.policy.source);
    case 'sarif':
      return renderSarif(outcome.result);
    case 'text':
      return renderText(outcome.result, outcome.summary, options);
  }
}

/**
 * Writes a whole file or nothing: a temporary file beside it, then a rename. A path that
 * cannot be written (a directory, no permission) is the user's to fix: a UserError naming it.
 */
export async function writeFileAtomic(file: string, content: string, mode = 0o644): Promise<void> {
  const target = path.resolve(file);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(temporary, content, { mode });
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    const code = (error as { code?: string }).code;
    throw new UserError('ERR_WRITE', `cannot write ${file}: ${code ?? (error as Error).message}`, { cause: error });
  }
}
