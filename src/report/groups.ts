import { RULES_BY_ID } from '../rules/index.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../types.js';

/**
 * The findings on one artifact (one key or token, at one place): a token can be committed,
 * lack claims, outlive the policy and be signed with a weak secret at once, and a reader
 * acts on the token, not on four findings. The rule ids stay separate (SARIF and the
 * policy need them); the text report and the job summary show each artifact once, with
 * what is wrong with it under it.
 */
export interface ArtifactGroup {
  file: string;
  line: number;
  column: number;
  /** The artifact described, as its findings' messages begin; undefined for a finding with no artifact (a gap). */
  subject?: string;
  /** The most severe of its findings. */
  severity: Severity;
  findings: Array<Finding & { problem: string }>;
}

/** Groups a file's (or a scan's) findings by artifact, in order of place; within a group, the most severe first. */
export function groupByArtifact(findings: readonly Finding[]): ArtifactGroup[] {
  const groups = new Map<string, ArtifactGroup>();
  for (const finding of findings) {
    const key = `${finding.file}\0${finding.line}\0${finding.column}\0${finding.digest ?? finding.fingerprint}`;
    let group = groups.get(key);
    if (!group) {
      group = { file: finding.file, line: finding.line, column: finding.column, ...(finding.subject ? { subject: finding.subject } : {}), severity: finding.severity, findings: [] };
      groups.set(key, group);
    }
    if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[group.severity]) group.severity = finding.severity;
    group.findings.push({ ...finding, problem: problemOf(finding) });
  }
  for (const group of groups.values()) group.findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return [...groups.values()].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** What a finding says about its artifact: its message without the artifact's description it starts with ("is committed to the repository…"). */
function problemOf(finding: Finding): string {
  const { subject, message } = finding;
  if (!subject || !message.startsWith(subject)) return message;
  return message.slice(subject.length).replace(/^[\s:,.]+/, '');
}

/** How many distinct keys and tokens the findings are about (a secret in two files is one). */
export function countSecrets(findings: readonly Finding[]): number {
  return new Set(findings.filter((f) => f.subject !== undefined).map((f) => f.digest ?? f.fingerprint)).size;
}

/** A rule's security severity (SARIF's `security-severity`, 0 to 10): what makes one finding more urgent than another of the same level. */
export const securitySeverity = (ruleId: string): number => RULES_BY_ID.get(ruleId)?.meta.securitySeverity ?? 0;

/**
 * The order findings are shown in where space is short (annotations, the job summary's
 * first table): severity, then the rule's security severity (a committed private key,
 * 9.0, before a token in a log, 8.0), then the rule, the path and the line, so that the
 * first places go to what matters most, not to the first file.
 */
export function byUrgency(a: Pick<Finding, 'severity' | 'ruleId' | 'file' | 'line'>, b: Pick<Finding, 'severity' | 'ruleId' | 'file' | 'line'>): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    securitySeverity(b.ruleId) - securitySeverity(a.ruleId) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.file.localeCompare(b.file) ||
    a.line - b.line
  );
}
