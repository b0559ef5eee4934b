import { createHash } from 'node:crypto';
import { analyzeKey } from '../analyze/keys.js';
import { analyzeToken } from '../analyze/tokens.js';
import { describeKey, describeToken, tokenSummary } from '../analyze/describe.js';
import { fallbackFacts } from '../analyze/fallback.js';
import type { TrustedKeys } from '../analyze/trusted.js';
import type { FixtureJudge } from '../analyze/production.js';
import { ScanBudget, type FileBudget, type WorkKind } from './budget.js';
import { detect } from '../detect/index.js';
import { derKindOf, STORE_KINDS } from '../detect/der.js';
import { errorKind } from '../errors.js';
import { fingerprint } from '../fingerprint.js';
import type { Policy } from '../policy/types.js';
import { RULES } from '../rules/index.js';
import { formatMessage } from '../rules/types.js';
import { inlineDirectives, inlineSuppression, suppressed, unknownRuleData, type DirectiveProblem, type Suppressor } from '../suppress/suppressions.js';
import { suppressionFinding, type IneffectiveSuppression } from '../rules/ineffective-suppression.js';
import type { Artifact, Facts, Finding, SkippedFile, SuppressedFinding, TextUnit } from '../types.js';
import { lineStarts, position } from '../util/lines.js';
import { append } from '../util/arrays.js';
import { analyzeCode, codeDigest, worthParsing, type CodeAnalysis } from '../code/index.js';
import { languageOf, type CodeLanguage } from '../code/languages.js';
import { couldBeGuessed } from '../analyze/symmetric.js';
import { screenAhead, screeningKey } from '../rules/weak-secret.js';

export { fingerprint };

export async function analyzeArtifact(artifact: Artifact): Promise<Facts | undefined> {
  if (artifact.type === 'jwt' || artifact.type === 'jwe') return analyzeToken(artifact);
  return analyzeKey(artifact);
}

/**
 * The kind of budgeted work analysing an artifact is: keys are read by node:crypto, and a
 * symmetric JWK that could be guessed is stretched for its digest. Tokens and random
 * symmetric keys (a decode and a hash) are cheap.
 */
function workOf(artifact: Artifact): WorkKind | undefined {
  if (artifact.type === 'jwt' || artifact.type === 'jwe') return undefined;
  const der = derKindOf(artifact);
  if (der && STORE_KINDS.has(der)) return 'key-store';
  if (artifact.type !== 'jwk' || artifact.json?.kty !== 'oct') return 'key';
  const k = artifact.json.k;
  return typeof k === 'string' && couldBeGuessed(Buffer.from(k, 'base64url')) ? 'symmetric-key' : undefined;
}

/**
 * Facts that may be shown. Keys: everything but the digest. Tokens: the header's
 * non-secret members and the registered claims that say whose and how long, never the
 * token, its signature or its other claims.
 */
function publicFacts(artifact: Artifact, facts: Facts): Finding['artifact'] {
  const base = { type: artifact.type, ...(artifact.label ? { label: artifact.label } : {}), ...(artifact.wrapped ? { wrapped: artifact.wrapped } : {}) };
  if (facts.kind === 'token') return { ...base, ...tokenSummary(facts), ...(artifact.urlParameter ? { urlParameter: artifact.urlParameter } : {}) };
  const { digest: _digest, kind: _kind, ...rest } = facts;
  return { ...base, ...rest };
}

export interface UnitResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /**
   * What could not be read or analysed completely (incomplete-scan findings to be), with
   * the place in the unit where known. The caller turns them into findings.
   */
  gaps: SkippedFile[];
}

const NO_TRUSTED_KEYS: TrustedKeys = new Map();

/** detect → analyze → rules → inline suppressions, for one text unit. */
export interface UnitContext {
  trusted?: TrustedKeys;
  /** `files.fixtures`: a key or token in test material is a note, unless it is production material. */
  fixtures?: FixtureJudge;
  /** Seconds since the epoch; defaults to the current time. */
  now?: number;
  /** For a chunk of a large file: where the chunk sits in the file, and where its new territory starts. */
  chunk?: { lineBase: number; columnBase: number; freshFrom: number; whole?: true };
  /**
   * The analysis budget of the file this unit belongs to (shared by its chunks). Without
   * one the unit has a budget of its own, and its budget gaps are in the result.
   */
  budget?: FileBudget;
  /** JWT_GUARD_DEBUG: an analysis failure's gap says where it was thrown. */
  debug?: boolean;
  /**
   * Where a whole source file's code checks may run later (a helper thread parses it while
   * this one goes on): takes the unit, and `finish`, which turns the analysis into the
   * unit's result (it returns that result, to be used in place of scanUnit's). scanUnit
   * then returns an empty result. False: not taken, scanUnit analyses the code itself.
   */
  codeLater?: (unit: TextUnit, language: CodeLanguage, finish: (analysis: CodeAnalysis) => UnitResult) => boolean;
}

/**
 * detect → analyze → rules → inline suppressions, for one text unit. Contained: an
 * artifact whose analysis throws is still reported by what is known of it (see
 * fallbackFacts), a rule that throws does not stop the other rules, and each failure is a
 * gap at the artifact's place; nothing here throws for content.
 */
export async function scanUnit(unit: TextUnit, policy: Policy, context: UnitContext = {}): Promise<UnitResult> {
  const trusted = context.trusted ?? NO_TRUSTED_KEYS;
  const now = context.now ?? Math.floor(Date.now() / 1000);
  const budget = context.budget ?? new ScanBudget().file(unit.path, unit.kind);
  const gaps: SkippedFile[] = [];
  const result: UnitResult = { findings: [], suppressed: [], gaps };
  let detection;
  try {
    detection = detect(unit.text);
  } catch (error) {
    gaps.push({ file: unit.path, reason: 'analysis-failed', detail: `the detectors failed on this text (${errorKind(error, context.debug)}), so none of it was searched`, unitKind: unit.kind });
    return place(result, context);
  }
  const { artifacts } = detection;
  const starts = artifacts.length > 0 || detection.gaps.length > 0 ? lineStarts(unit.text) : [0];
  const gapAt = (offset: number, gap: Omit<SkippedFile, 'file' | 'line' | 'column'>) => gaps.push({ file: unit.path, ...position(starts, offset), unitKind: unit.kind, ...gap });
  for (const gap of detection.gaps) gapAt(gap.offset, { reason: 'partly-scanned', detail: gap.detail });
  const findings: Finding[] = [];
  const fixture = context.fixtures?.isFixture(unit.path) ? context.fixtures : undefined;
  const freshFrom = context.chunk?.freshFrom ?? 0;
  const ahead = screeningAhead(artifacts, policy, budget, freshFrom);
  for (const [index, artifact] of artifacts.entries()) {
    ahead?.(index);
    // In a chunk after the first, what ends in the carried-over part was reported by the previous chunk.
    if (artifact.span.end <= freshFrom) continue;
    const what = artifact.label ? `${artifact.type} (${artifact.label})` : artifact.type;
    let facts: Facts | undefined;
    try {
      const work = workOf(artifact);
      facts = work
        ? await budget.once(work, `${artifact.type}\0${createHash('sha256').update(artifact.raw).digest('hex')}`, () => analyzeArtifact(artifact), () => fallbackFacts(artifact))
        : await analyzeArtifact(artifact);
    } catch (error) {
      facts = fallbackFacts(artifact);
      gapAt(artifact.span.start, { reason: 'analysis-failed', detail: `the analysis of a ${what} failed (${errorKind(error, context.debug)})${facts ? '; it is reported by what is known of it' : ''}`, subject: artifact.type });
    }
    if (!facts) continue;
    const where = located(unit, starts, artifact.span.start, artifact.span.end);
    let shown: Finding['artifact'] | undefined; // one object for all of this artifact's findings
    let subject: string | undefined;
    const before = findings.length;
    for (const rule of RULES) {
      const setting = policy.rules[rule.meta.id];
      if (!rule.check || !setting || setting.severity === 'off') continue;
      if (facts.kind === 'token' && facts.unusable && !rule.meta.placement) continue;
      const ruleContext = { unit, artifact, facts, severity: setting.severity, options: setting.options, policy, trusted, now, budget };
      let reports;
      try {
        reports = await rule.check(ruleContext);
      } catch (error) {
        gapAt(artifact.span.start, { reason: 'analysis-failed', detail: `rule ${rule.meta.id} could not judge a ${what} (${errorKind(error, context.debug)}); the other rules did`, subject: artifact.type });
        continue;
      }
      for (const report of reports) {
        const severity = report.severity ?? setting.severity;
        if (severity === 'off') continue;
        findings.push({
          ruleId: rule.meta.id,
          severity,
          ...where,
          message: wrapped(artifact, formatMessage(rule.meta, report)),
          messageId: report.messageId,
          fingerprint: fingerprint(rule.meta.id, unit.path, facts.digest),
          digest: facts.digest,
          subject: (subject ??= wrapped(artifact, facts.kind === 'token' ? describeToken(facts) : describeKey(facts))),
          artifact: (shown ??= publicFacts(artifact, facts)),
        });
      }
    }
    if (fixture && findings.length > before) await asFixture(findings.slice(before), facts, fixture);
  }
  // Source code: the code checks parse a whole file of a language they read (a chunk of a larger file is not one).
  const language = unit.kind === 'file' && (!context.chunk || context.chunk.whole) && codeRulesOn(policy) ? languageOf(unit.path) : undefined;
  // The rest of the unit (its code checks' findings, then inline directives), once its code is analysed.
  const finish = (code?: CodeAnalysis): UnitResult => {
    if (code && language) codeFindings(unit, language, policy, context, code, findings, gaps);
    if (!context.budget) append(gaps, budget.gaps());
    const { ranges, problems } = findings.length > 0 ? inlineDirectives(unit.text) : NO_DIRECTIVES;
    for (const finding of findings) {
      const range = ranges.length > 0 ? inlineSuppression(finding, ranges) : undefined;
      if (range) result.suppressed.push(suppressed(finding, 'inline', range.reason));
      else result.findings.push(finding);
    }
    for (const problem of directiveProblems(problems, unit, context)) {
      const finding = suppressionFinding(policy, problem);
      if (finding) result.findings.push(finding);
    }
    return place(result, context);
  };
  // Not worth parsing: what analyzeCode would say of it (no facts), without testing the text again.
  if (!language || !worthParsing(unit.text, language)) return finish();
  if (context.codeLater?.(unit, language, finish)) return { findings: [], suppressed: [], gaps: [] };
  return finish(await analyzeCode(unit.path, unit.text, language, context.debug));
}

const NO_DIRECTIVES = { ranges: [], problems: [] };

/**
 * At each artifact's turn, starts the weak-secret screening of the next token after it on
 * the scan's free helpers (rules/weak-secret.ts `screenAhead`), so that they screen it
 * while this thread analyses what comes before: a token the memo holds or the budget could
 * not afford now is skipped. Speed only: the rule screens (or joins) in its turn as before.
 */
function screeningAhead(artifacts: readonly Artifact[], policy: Policy, budget: FileBudget, freshFrom: number): ((index: number) => void) | undefined {
  const helpers = budget.scan.helpers;
  if (!helpers || (policy.rules['weak-secret']?.severity ?? 'off') === 'off') return undefined;
  let next = -1; // the first token after the current artifact
  let handled = true; // whether it was started, or is not to be
  return (index) => {
    if (next <= index) {
      next = index + 1;
      while (next < artifacts.length && (artifacts[next]!.type !== 'jwt' || artifacts[next]!.span.end <= freshFrom)) next++;
      const token = artifacts[next]?.raw;
      handled = token === undefined || budget.scan.has(screeningKey(createHash('sha256').update(token).digest('hex')));
    }
    if (handled) return;
    // Not when the budget could not afford it now (it would not be screened in its turn either, or only later).
    handled = !budget.affords('weak-secret') || screenAhead(artifacts[next]!.raw, helpers);
  };
}

/** Whether a rule is on in the policy. */
const isOn = (policy: Policy, rule: (typeof RULES)[number]): boolean => (policy.rules[rule.meta.id]?.severity ?? 'off') !== 'off';

/** Whether any code check's rule is on. */
const codeRulesOn = (policy: Policy): boolean => CODE_RULES.some((rule) => isOn(policy, rule));

/** The code checks' findings for a source file (src/code), each judged by the rule it names; what could not be analysed is a gap. */
function codeFindings(unit: TextUnit, language: CodeLanguage, policy: Policy, context: UnitContext, analysis: CodeAnalysis, findings: Finding[], gaps: SkippedFile[]): void {
  const wanted = CODE_RULES.filter((rule) => isOn(policy, rule));
  if (analysis.gap) gaps.push({ file: unit.path, reason: 'analysis-failed', detail: analysis.gap, unitKind: unit.kind });
  if (analysis.facts.length === 0) return;
  const starts = lineStarts(unit.text);
  const fixture = context.fixtures?.isFixture(unit.path);
  for (const fact of analysis.facts) {
    const rule = wanted.find((r) => r.meta.id === fact.ruleId);
    const setting = rule && policy.rules[rule.meta.id];
    if (!rule?.code || !setting || setting.severity === 'off') continue;
    const report = rule.code({ fact, severity: setting.severity, options: setting.options, policy });
    if (!report) continue;
    const severity = report.severity ?? setting.severity;
    if (severity === 'off') continue;
    const digest = codeDigest(fact);
    const finding: Finding = {
      ruleId: rule.meta.id,
      severity,
      ...located(unit, starts, fact.start, fact.end),
      message: formatMessage(rule.meta, report),
      messageId: report.messageId,
      fingerprint: fingerprint(rule.meta.id, unit.path, digest),
      digest,
      artifact: { type: 'code', language: language.id, library: fact.library },
    };
    // Code in test material is a note: no code is production material.
    if (fixture) asNote(finding);
    findings.push(finding);
  }
}

const CODE_RULES = RULES.filter((rule) => rule.code);

/** Where a finding on the text's [start, end) sits: its file, first and last line and column, and the unit's kind. */
function located(unit: TextUnit, starts: number[], start: number, end: number): Pick<Finding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn' | 'unitKind'> {
  const begin = position(starts, start);
  const last = position(starts, Math.max(start, end - 1));
  return { file: unit.path, line: begin.line, column: begin.column, endLine: last.line, endColumn: last.column + 1, unitKind: unit.kind };
}

/**
 * The directives of a unit that suppress nothing, read only where the unit has findings
 * (a directive with nothing to suppress harms nothing). A block's -begin and -end are
 * judged only in a unit that is a whole file (a chunk of a large one may hold one
 * without the other); an unknown rule id anywhere in the chunk's new territory.
 */
function directiveProblems(problems: DirectiveProblem[], unit: TextUnit, context: UnitContext): IneffectiveSuppression[] {
  const chunk = context.chunk;
  const fresh = chunk ? lineStarts(unit.text.slice(0, chunk.freshFrom)).length : 1;
  return problems
    .filter((p) => p.messageId === 'unknownRule' ? p.line >= fresh : !chunk || chunk.whole)
    .map((p) => ({
      file: unit.path,
      line: p.line,
      column: p.column,
      messageId: p.messageId,
      ...(p.messageId === 'unknownRule' ? { data: unknownRuleData(p) } : {}),
      key: p.text,
      unitKind: unit.kind,
    }));
}

/** A message (or subject) about an artifact found inside a base64 run says so first: "Base64-encoded EC P-256 private key (…)". */
function wrapped(artifact: Artifact, text: string): string {
  if (!artifact.wrapped) return text;
  return `Base64-encoded ${/^(Private|Public|Symmetric) /.test(text) ? `${text[0]!.toLowerCase()}${text.slice(1)}` : text}`;
}

const AS_FIXTURE = ' Reported as a note: it sits in test material (files.fixtures).';

/**
 * An artifact's findings in a fixture path become notes, unless it is production material
 * (then they stay as they are, and say why: a test directory is no place for it).
 */
async function asFixture(findings: Finding[], facts: Facts, judge: FixtureJudge): Promise<void> {
  let production: boolean;
  try {
    production = await judge.isProduction(facts);
  } catch {
    production = true; // not known to be test material: it keeps its severity (fail closed)
  }
  for (const finding of findings) {
    if (production) {
      finding.message += ' It sits in test material (files.fixtures), but it is production material: the policy trusts it.';
      continue;
    }
    asNote(finding);
  }
}

/** A finding in test material, made a note that says why. */
function asNote(finding: Finding): void {
  finding.severity = 'note';
  finding.fixture = true;
  finding.message += AS_FIXTURE;
}

/** For a chunk of a large file: inline directives were matched in the chunk's own lines; now place findings and gaps in the file. */
function place(result: UnitResult, context: UnitContext): UnitResult {
  if (!context.chunk) return result;
  const { lineBase, columnBase } = context.chunk;
  for (const finding of [...result.findings, ...result.suppressed]) {
    if (finding.line === 1) finding.column += columnBase;
    if (finding.endLine === 1) finding.endColumn += columnBase;
    finding.line += lineBase;
    finding.endLine += lineBase;
  }
  for (const gap of result.gaps) {
    if (gap.line === undefined) continue;
    if (gap.line === 1 && gap.column !== undefined) gap.column += columnBase;
    gap.line += lineBase;
  }
  return result;
}

/** Applies the policy's ignore list and the baseline, in that order. */
export function applySuppressors(findings: Finding[], suppressors: Suppressor[]): UnitResult {
  const result: UnitResult = { findings: [], suppressed: [], gaps: [] };
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
