import { errorKind } from '../errors.js';
import { relativeTo } from '../sources/files.js';
import { loadTrustedKeys, policyFile } from '../analyze/trusted.js';
import { loadFixtureJudge } from '../analyze/production.js';
import { loadPolicy } from '../policy/load.js';
import type { Policy } from '../policy/types.js';
import { readBaseline, renderBaseline } from '../report/baseline.js';
import { NEVER_BASELINED } from '../suppress/suppressions.js';
import { summarize, type Summary } from '../report/summary.js';
import { scan } from './scan.js';
import { runCheck } from '../check/run.js';
import type { CheckedToken } from '../check/check.js';
import type { ScanSettings } from './settings.js';
import type { ScanResult, SkippedFile } from '../types.js';
import type { FileEntry } from '../sources/files.js';
import { Spool } from '../sources/spool.js';
import { append } from '../util/arrays.js';
import { writeFileAtomic } from '../util/write-file.js';

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
  const policy = loadPolicy({ ...(settings.policyPath ? { policyPath: settings.policyPath } : {}), ...(settings.policyFrom ? { policyFrom: settings.policyFrom } : {}), searchRoots: [policyRoot(settings), settings.base] });
  const trusted = await loadTrustedKeys(policy.keys.trusted, settings.base);
  const fixtures = await loadFixtureJudge(policy, settings.base);
  // --baseline (or the Action's input) first, then the one the policy names.
  const baselineFile = settings.baseline ?? (policy.baseline ? (await policyFile(`policy baseline '${policy.baseline}'`, policy.baseline, settings.base, 'ERR_BASELINE_UNREADABLE', `no such file in the repository (write it with jwt-guard scan --write-baseline ${policy.baseline}, or jwt-guard init --baseline)`)).file : undefined);
  const baseline = baselineFile ? readBaseline(baselineFile) : undefined;
  const baselinePath = baselineFile ? relativeTo(settings.base, baselineFile) : undefined;
  const spool = settings.stdinLog || extraSource ? new Spool() : undefined;
  try {
    const extraFiles: FileEntry[] = [];
    const extraSkipped: SkippedFile[] = [];
    if (settings.stdinLog && spool) {
      // Standard input streams to a private file and is read like any file: bounded memory, whatever its size.
      const spooled = await spool.write(settings.stdinLog(), policy.files.maxFileSize);
      extraFiles.push({ absolute: spooled.file, relative: STDIN_PATH, kind: 'log', diff: settings.stdinDiff ? 'stdin' : 'auto' });
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
      ...(fixtures ? { fixtures } : {}),
      ...(settings.parallel ? { parallel: settings.parallel } : {}),
      ...(baseline && baselinePath ? { baseline: baseline.fingerprints, baselineEntries: { entries: baseline.entries, file: baselinePath } } : {}),
      // Read as a baseline above, and strictly (it holds fingerprints and places only): not scanned as a source of findings.
      ...(baselinePath && !baselinePath.startsWith('../') ? { baselineFile: baselinePath } : {}),
      extraFiles,
      extraSkipped,
      ...(settings.debug ? { debug: true } : {}),
      ...(settings.history ? { history: settings.history } : {}),
      ...(settings.fetchHistory ? { fetchHistory: true } : {}),
    });
    let checked: CheckedToken[] | undefined;
    if (settings.tokens && settings.tokens.length > 0) {
      checked = await runCheck(policy, { tokens: settings.tokens, base: settings.base, ...(settings.hmacSecret ? { hmacSecret: settings.hmacSecret } : {}) });
      // A refused token is a finding like any other, and no baseline or inline comment can accept it.
      result.findings = [...checked.flatMap((c) => (c.failure ? [c.failure] : [])), ...result.findings];
    }
    if (settings.writeBaseline) {
      // Everything found now is accepted from here on: the new findings and those the old baseline held (never a gap or a stale suppression: see NEVER_BASELINED).
      const accepted = [...result.findings, ...result.suppressed.filter((s) => s.suppressedBy === 'baseline')].filter((f) => !NEVER_BASELINED.has(f.ruleId));
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
