import { formatSize, plural } from '../util/format.js';
import { SEVERITY_RANK, type Finding, type ScanResult, type Severity, type SuppressionKind } from '../types.js';
import { countSecrets } from './groups.js';

export type FailOn = Severity | 'none';

export interface Summary {
  findings: number;
  /** The distinct keys and tokens the findings are about (a token can have several findings). */
  secrets: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  suppressed: { total: number } & Record<SuppressionKind, number>;
  filesScanned: number;
  bytesScanned: number;
  binaryFiles: number;
  skippedFiles: number;
  durationMs: number;
  failOn: FailOn;
  /** Findings at or above the failure threshold, in all and by rule. */
  failing: number;
  failingByRule: Record<string, number>;
  passed: boolean;
}

export function atOrAbove(severity: Severity, threshold: FailOn): boolean {
  return threshold !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export function summarize(result: ScanResult, failOn: FailOn): Summary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  const byRule: Record<string, number> = {};
  for (const finding of result.findings) {
    bySeverity[finding.severity]++;
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
  const suppressed = { total: result.suppressed.length, policy: 0, inline: 0, baseline: 0 };
  for (const s of result.suppressed) suppressed[s.suppressedBy]++;
  const failingByRule: Record<string, number> = {};
  let failing = 0;
  for (const finding of result.findings.filter((f: Finding) => atOrAbove(f.severity, failOn))) {
    failing++;
    failingByRule[finding.ruleId] = (failingByRule[finding.ruleId] ?? 0) + 1;
  }
  return {
    findings: result.findings.length,
    secrets: countSecrets(result.findings),
    bySeverity,
    byRule,
    suppressed,
    filesScanned: result.filesScanned,
    bytesScanned: result.bytesScanned,
    binaryFiles: result.binaryFiles,
    skippedFiles: result.skipped.length,
    durationMs: result.durationMs,
    failOn,
    failing,
    failingByRule,
    passed: failing === 0,
  };
}


/** "3 findings (2 errors, 1 warning)", and "on 2 keys and tokens" when some have several */
export function countLine(summary: Summary): string {
  const parts = (['error', 'warning', 'note'] as const).filter((s) => summary.bySeverity[s] > 0).map((s) => plural(summary.bySeverity[s], s));
  const secrets = summary.secrets > 0 && summary.secrets !== summary.findings ? ` on ${plural(summary.secrets, 'key or token', 'keys and tokens')}` : '';
  return `${plural(summary.findings, 'finding')}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}${secrets}`;
}

/** "2 suppressed (1 by policy, 1 inline)", or '' when none. */
export function suppressedLine(summary: Summary): string {
  const { total, policy, inline, baseline } = summary.suppressed;
  if (total === 0) return '';
  const parts = [policy && `${policy} by policy`, inline && `${inline} inline`, baseline && `${baseline} by baseline`].filter(Boolean);
  return `${total} suppressed (${parts.join(', ')})`;
}

/** The one-line reason for a failed run. */
export function failureLine(summary: Summary): string {
  const rules = Object.entries(summary.failingByRule)
    .map(([rule, n]) => `${n} ${rule}`)
    .join(', ');
  return `jwt-guard found ${plural(summary.failing, 'finding')} at or above '${summary.failOn}' (${rules})`;
}

/** "12 files scanned (4.0 KB) in 0.03 s" */
export function scannedLine(summary: Summary): string {
  return `${plural(summary.filesScanned, 'file')} scanned (${formatSize(summary.bytesScanned)}) in ${(summary.durationMs / 1000).toFixed(2)} s`;
}
