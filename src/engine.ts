import { createHash } from 'node:crypto';
import { analyzeKey } from './analyze/keys.js';
import { analyzeToken } from './analyze/tokens.js';
import { tokenSummary } from './analyze/describe.js';
import type { TrustedKeys } from './analyze/trusted.js';
import { detect } from './detect/index.js';
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
  if (artifact.type === 'jwt' || artifact.type === 'jwe') return analyzeToken(artifact);
  return analyzeKey(artifact);
}

/**
 * Facts that may be shown. Keys: everything but the digest. Tokens: the header's
 * non-secret members and the registered claims that say whose and how long, never the
 * token, its signature or its other claims.
 */
function publicFacts(artifact: Artifact, facts: Facts): Finding['artifact'] {
  const base = { type: artifact.type, ...(artifact.label ? { label: artifact.label } : {}) };
  if (facts.kind === 'token') return { ...base, ...tokenSummary(facts), ...(artifact.urlParameter ? { urlParameter: artifact.urlParameter } : {}) };
  const { digest: _digest, kind: _kind, ...rest } = facts;
  return { ...base, ...rest };
}

export interface UnitResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Why the unit was searched only in part (a hostile structure), if it was. */
  incomplete?: string;
}

const NO_TRUSTED_KEYS: TrustedKeys = new Map();

/** detect → analyze → rules → inline suppressions, for one text unit. */
export interface UnitContext {
  trusted?: TrustedKeys;
  /** Seconds since the epoch; defaults to the current time. */
  now?: number;
  /** For a chunk of a large file: where the chunk sits in the file, and where its new territory starts. */
  chunk?: { lineBase: number; columnBase: number; freshFrom: number };
}

export async function scanUnit(unit: TextUnit, policy: Policy, context: UnitContext = {}): Promise<UnitResult> {
  const trusted = context.trusted ?? NO_TRUSTED_KEYS;
  const now = context.now ?? Math.floor(Date.now() / 1000);
  const { artifacts, incomplete } = detect(unit.text);
  if (artifacts.length === 0) return { findings: [], suppressed: [], ...(incomplete ? { incomplete } : {}) };
  const starts = lineStarts(unit.text);
  const findings: Finding[] = [];
  const freshFrom = context.chunk?.freshFrom ?? 0;
  for (const artifact of artifacts) {
    // In a chunk after the first, what ends in the carried-over part was reported by the previous chunk.
    if (artifact.span.end <= freshFrom) continue;
    const facts = await analyzeArtifact(artifact);
    if (!facts) continue;
    const begin = position(starts, artifact.span.start);
    const end = position(starts, Math.max(artifact.span.start, artifact.span.end - 1));
    for (const rule of RULES) {
      const setting = policy.rules[rule.meta.id];
      if (!rule.check || !setting || setting.severity === 'off') continue;
      const context = { unit, artifact, facts, severity: setting.severity, options: setting.options, policy, trusted, now };
      const reports = await rule.check(context);
      for (const report of reports) {
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
  const result: UnitResult = { findings: [], suppressed: [], ...(incomplete ? { incomplete } : {}) };
  for (const finding of findings) {
    const range = ranges.length > 0 ? inlineSuppression(finding, ranges) : undefined;
    if (range) result.suppressed.push(suppressed(finding, 'inline', range.reason));
    else result.findings.push(finding);
  }
  if (context.chunk) {
    // Inline directives were matched in the chunk's own lines; now place findings in the file.
    const { lineBase, columnBase } = context.chunk;
    for (const finding of [...result.findings, ...result.suppressed]) {
      if (finding.line === 1) finding.column += columnBase;
      if (finding.endLine === 1) finding.endColumn += columnBase;
      finding.line += lineBase;
      finding.endLine += lineBase;
    }
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
