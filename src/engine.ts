import { createHash } from 'node:crypto';
import { analyzeKey } from './analyze/keys.js';
import type { TrustedKeys } from './analyze/trusted.js';
import { detectArtifacts } from './detect/index.js';
import type { Policy } from './policy/types.js';
import { RULES } from './rules/index.js';
import { inlineDirectives, inlineSuppression, suppressed, type Suppressor } from './suppress.js';
import type { Artifact, Facts, Finding, SuppressedFinding, TextUnit } from './types.js';
import { lineStarts, position } from './util/lines.js';

/**
 * A finding's fingerprint: stable across runs and line moves, built from the rule id,
 * the path and the artifact's own digest (a public-key thumbprint or a one-way digest),
 * never from the secret itself.
 */
export function fingerprint(ruleId: string, file: string, digest: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${digest}`).digest('hex').slice(0, 32);
}

export async function analyzeArtifact(artifact: Artifact): Promise<Facts | undefined> {
  return analyzeKey(artifact);
}

/** Facts that may be shown: everything but the digest (which only feeds fingerprints). */
function publicFacts(artifact: Artifact, facts: Facts): Finding['artifact'] {
  const { digest: _digest, kind: _kind, ...rest } = facts;
  return { type: artifact.type, ...(artifact.label ? { label: artifact.label } : {}), ...rest };
}

export interface UnitResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

const NO_TRUSTED_KEYS: TrustedKeys = new Map();

/** detect → analyze → rules → inline suppressions, for one text unit. */
export async function scanUnit(unit: TextUnit, policy: Policy, trusted: TrustedKeys = NO_TRUSTED_KEYS): Promise<UnitResult> {
  const artifacts = detectArtifacts(unit.text);
  if (artifacts.length === 0) return { findings: [], suppressed: [] };
  const starts = lineStarts(unit.text);
  const findings: Finding[] = [];
  for (const artifact of artifacts) {
    const facts = await analyzeArtifact(artifact);
    if (!facts) continue;
    const begin = position(starts, artifact.span.start);
    const end = position(starts, Math.max(artifact.span.start, artifact.span.end - 1));
    for (const rule of RULES) {
      const setting = policy.rules[rule.meta.id];
      if (!setting || setting.severity === 'off') continue;
      for (const report of rule.check({ unit, artifact, facts, severity: setting.severity, options: setting.options, policy, trusted })) {
        const severity = report.severity ?? setting.severity;
        if (severity === 'off') continue;
        findings.push({
          ruleId: rule.meta.id,
          severity,
          file: unit.path,
          line: begin.line,
          column: begin.column,
          endLine: end.line,
          endColumn: end.column + 1,
          message: report.message,
          fingerprint: fingerprint(rule.meta.id, unit.path, facts.digest),
          unitKind: unit.kind,
          artifact: publicFacts(artifact, facts),
        });
      }
    }
  }
  const ranges = inlineDirectives(unit.text);
  if (ranges.length === 0) return { findings, suppressed: [] };
  const result: UnitResult = { findings: [], suppressed: [] };
  for (const finding of findings) {
    const range = inlineSuppression(finding, ranges);
    if (range) result.suppressed.push(suppressed(finding, 'inline', range.reason));
    else result.findings.push(finding);
  }
  return result;
}

/** Applies the policy's ignore list and the baseline, in that order. */
export function applySuppressors(findings: Finding[], suppressors: Suppressor[]): UnitResult {
  const result: UnitResult = { findings: [], suppressed: [] };
  for (const finding of findings) {
    let hit: SuppressedFinding | undefined;
    for (const suppressor of suppressors) {
      hit = suppressor.apply(finding);
      if (hit) break;
    }
    if (hit) result.suppressed.push(hit);
    else result.findings.push(finding);
  }
  return result;
}
