import { formatSize, plural } from '../util/format.js';
import { SEVERITY_RANK, type Finding, type ScanResult, type Severity, type SuppressionKind } from '../types.js';
import { byUrgency, countSecrets, securitySeverity } from './groups.js';

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
    .sort(([a], [b]) => securitySeverity(b) - securitySeverity(a) || a.localeCompare(b))
    .map(([rule, n]) => `${n} ${rule}`)
    .join(', ');
  return `jwt-guard found ${plural(summary.failing, 'finding')} at or above '${summary.failOn}' (${rules})`;
}

/** "12 files scanned (4.0 KB) in 0.03 s" */
export function scannedLine(summary: Summary): string {
  return `${plural(summary.filesScanned, 'file')} scanned (${formatSize(summary.bytesScanned)}) in ${(summary.durationMs / 1000).toFixed(2)} s`;
}

/** One rule's share of a scan: how many findings at each severity, and how many fail it. */
export interface RuleTotal {
  ruleId: string;
  /** The most severe of its findings. */
  severity: Severity;
  findings: number;
  bySeverity: Record<Severity, number>;
  failing: number;
}

/** Totals per rule, the most severe rule first (severity, then the rule's security severity, as annotations are ranked). */
export function ruleTotals(findings: readonly Finding[], failOn: FailOn): RuleTotal[] {
  const totals = new Map<string, RuleTotal>();
  for (const f of findings) {
    let total = totals.get(f.ruleId);
    if (!total) totals.set(f.ruleId, (total = { ruleId: f.ruleId, severity: f.severity, findings: 0, bySeverity: { error: 0, warning: 0, note: 0 }, failing: 0 }));
    total.findings++;
    total.bySeverity[f.severity]++;
    if (atOrAbove(f.severity, failOn)) total.failing++;
    if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[total.severity]) total.severity = f.severity;
  }
  return [...totals.values()].sort((a, b) => byUrgency({ ...a, file: '', line: 0 }, { ...b, file: '', line: 0 }));
}

/** "2 errors, 1 note": a count per severity, most severe first. */
export function severityCounts(bySeverity: Record<Severity, number>): string {
  return (['error', 'warning', 'note'] as const)
    .filter((s) => bySeverity[s] > 0)
    .map((s) => plural(bySeverity[s], s))
    .join(', ');
}

/** Rules whose finding means a secret left its owner: rotate it, do not merely delete it. */
const EXPOSED = new Set(['private-key', 'committed-token', 'token-in-log', 'token-in-url', 'weak-secret', 'hardcoded-secret']);

/** Rules about source code that weakens verification: change the call, not a secret. */
const CODE = 'insecure-verification';

/** Rules about content that was not read: fix the limit or the file, not a secret. */
const UNREAD = 'incomplete-scan';

/** One step of what to do next: in full (Markdown, for the job summary) and short (for the text report's one line). */
export interface NextStep {
  full: string;
  short: string;
}

/**
 * What to do next, from what the scan found: rotate what leaked, fix what is weak, read
 * what was not read, and how to accept test material. Each step names the command or the
 * policy key to use.
 */
export function nextSteps(findings: readonly Finding[]): NextStep[] {
  const live = findings.filter((f) => !f.fixture && f.severity !== 'note');
  const steps: NextStep[] = [];
  if (live.some((f) => EXPOSED.has(f.ruleId))) {
    steps.push({
      full: 'Rotate every key and token reported as committed or leaked: revoke it and issue a new one, kept in a CI secret or a secret manager. Deleting the file does not help: it stays in the git history.',
      short: 'rotate what leaked (revoke it, issue a new one, keep it in a secret store)',
    });
  }
  if (live.some((f) => f.ruleId === CODE)) {
    steps.push({
      full: 'Change each verification call that `insecure-verification` reports to the safe call its message names: verify the signature with a fixed list of algorithms, and check `exp`, `nbf`, `iss` and `aud`.',
      short: 'make each verification call the safe one its message names',
    });
  }
  if (live.some((f) => !EXPOSED.has(f.ruleId) && f.ruleId !== UNREAD && f.ruleId !== CODE)) {
    steps.push({
      full: 'Fix the weak key, algorithm or token contents each finding names, or change the policy key it names (`.github/jwt-guard.json`).',
      short: 'fix what is weak, or change the policy key the finding names',
    });
  }
  if (findings.some((f) => f.ruleId === UNREAD)) {
    steps.push({
      full: 'Each `incomplete-scan` finding says what was not read and why: raise the limit it names, or accept the path with an `ignore` entry and a reason in the policy.',
      short: 'read what was not read (each incomplete-scan finding names its limit)',
    });
  }
  if (findings.length > 0) {
    steps.push({
      full: 'Test material: accept one finding with `# jwt-guard-ignore-next-line RULE -- REASON` on the line before it, mark test directories in `files.fixtures`, or accept everything present today with `jwt-guard init --baseline` (or `jwt-guard scan --write-baseline FILE`).',
      short: "accept test material with '# jwt-guard-ignore-next-line RULE -- REASON' on the line before it, files.fixtures, or 'jwt-guard init --baseline'",
    });
  }
  return steps;
}
