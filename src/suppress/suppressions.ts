import picomatch from 'picomatch';
import { DIRECTIVE, DIRECTIVE_KEYWORD } from '../detect/directive.js';
import { globbable } from '../sources/files.js';
import type { IgnoreEntry } from '../policy/types.js';
import { RULES_BY_ID } from '../rules/index.js';
import type { Finding, SuppressedFinding, SuppressionKind } from '../types.js';
import { lineStarts, position } from '../util/lines.js';

/**
 * Inline directives, in any comment syntax (the marker is found anywhere on the line):
 *   jwt-guard-ignore [rule-ids] [-- reason]            this line
 *   jwt-guard-ignore-next-line [rule-ids] [-- reason]  the next line
 *   jwt-guard-ignore-begin [rule-ids] … jwt-guard-ignore-end   every line between
 * A finding that spans several lines (a PEM block) is matched by its first line.
 */

interface InlineRange {
  from: number;
  to: number;
  rules?: Set<string>;
  reason?: string;
}

/** Rule ids and the reason written after a directive, up to the end of its line or comment. */
function directiveArguments(rest: string): { rules?: Set<string>; reason?: string } {
  // Cut at a comment closer (*/, -->, %>, #}, *)), found without backtracking.
  const closers = ['*/', '-->', '%>', '#}', '*)'].map((closer) => rest.indexOf(closer)).filter((at) => at !== -1);
  const body = closers.length > 0 ? rest.slice(0, closers.reduce((a, b) => Math.min(a, b))).trimEnd() : rest;
  const dash = body.indexOf('--');
  const head = dash === -1 ? body : body.slice(0, dash);
  const reason = dash === -1 ? undefined : body.slice(dash + 2).trim() || undefined;
  const ids = head.split(/[\s,:]+/).filter((word) => /^[a-z]+(-[a-z]+)+$/.test(word));
  return { ...(ids.length > 0 ? { rules: new Set(ids) } : {}), ...(reason ? { reason } : {}) };
}

/** A directive that cannot do what it says, where it is (see the rule ineffective-suppression). */
export interface DirectiveProblem {
  line: number;
  column: number;
  messageId: 'unknownRule' | 'unclosed' | 'unmatchedEnd';
  /** For unknownRule: the ids that are no rule. */
  unknown?: string[];
  /** The directive as written (its line, trimmed): what identifies the problem across line moves. */
  text: string;
}

/** The inline ignore directives of a text, and what is wrong with any of them. */
export function inlineDirectives(text: string): { ranges: InlineRange[]; problems: DirectiveProblem[] } {
  const ranges: InlineRange[] = [];
  const problems: DirectiveProblem[] = [];
  if (!text.includes(DIRECTIVE_KEYWORD)) return { ranges, problems };
  const starts = lineStarts(text);
  const open: Array<Omit<InlineRange, 'to'> & { column: number; text: string }> = [];
  DIRECTIVE.lastIndex = 0;
  for (let match = DIRECTIVE.exec(text); match; match = DIRECTIVE.exec(text)) {
    const { line, column } = position(starts, match.index);
    const after = match.index + match[0].length;
    const lineEnd = text.indexOf('\n', after);
    const args = directiveArguments(text.slice(after, lineEnd === -1 ? undefined : Math.min(lineEnd, after + 500)));
    const written = text.slice(match.index, lineEnd === -1 ? Math.min(text.length, match.index + 200) : Math.min(lineEnd, match.index + 200)).trim();
    const unknown = args.rules ? [...args.rules].filter((id) => !RULES_BY_ID.has(id)) : [];
    if (unknown.length > 0) problems.push({ line, column, messageId: 'unknownRule', unknown, text: written });
    switch (match[1]) {
      case '-next-line':
        ranges.push({ from: line + 1, to: line + 1, ...args });
        break;
      case '-begin':
        open.push({ from: line, column, text: written, ...args });
        break;
      case '-end': {
        const begin = open.pop();
        if (begin) {
          const { column: _column, text: _text, ...range } = begin;
          ranges.push({ ...range, to: line });
        } else problems.push({ line, column, messageId: 'unmatchedEnd', text: written });
        break;
      }
      default:
        ranges.push({ from: line, to: line, ...args });
    }
  }
  // An unclosed begin covers nothing: a forgotten end must not silence the rest of the file. It is reported.
  for (const begin of open) problems.push({ line: begin.from, column: begin.column, messageId: 'unclosed', text: begin.text });
  return { ranges, problems };
}

/** The data of an unknownRule message: the ids, and the rules there are. */
export function unknownRuleData(problem: DirectiveProblem): Record<string, string> {
  const ids = problem.unknown ?? [];
  const directive = /^jwt-guard-ignore(-next-line|-begin|-end)?/.exec(problem.text)?.[0] ?? DIRECTIVE_KEYWORD;
  return {
    directive,
    ids: ids.map((id) => `'${id}'`).join(', '),
    are: ids.length === 1 ? 'is' : 'are',
    them: ids.length === 1 ? 'it' : 'them',
    known: [...RULES_BY_ID.keys()].join(', '),
  };
}

export function inlineSuppression(finding: Finding, ranges: InlineRange[]): InlineRange | undefined {
  return ranges.find((r) => finding.line >= r.from && finding.line <= r.to && (!r.rules || r.rules.has(finding.ruleId)));
}

export interface Suppressor {
  apply(finding: Finding): SuppressedFinding | undefined;
}

/** The policy's ignore list: paths, rule ids and fingerprints, each entry with a reason. */
export function policySuppressor(entries: IgnoreEntry[]): Suppressor {
  const compiled = entries.map((entry) => ({
    entry,
    paths: entry.paths && entry.paths.length > 0 ? picomatch(entry.paths, { dot: true }) : undefined,
    rules: entry.rules ? new Set(entry.rules) : undefined,
    fingerprints: entry.fingerprints ? new Set(entry.fingerprints) : undefined,
  }));
  return {
    apply(finding) {
      const hit = compiled.find(
        (c) =>
          (!c.paths || c.paths(globbable(finding.file))) &&
          (!c.rules || c.rules.has(finding.ruleId)) &&
          (!c.fingerprints || c.fingerprints.has(finding.fingerprint)),
      );
      return hit ? suppressed(finding, 'policy', hit.entry.reason) : undefined;
    },
  };
}

/**
 * What a baseline never accepts: a gap (what was not read may have changed since the
 * baseline was written, unseen) and a suppression that suppresses nothing (a baseline
 * that hid its own stale entries would never be corrected).
 */
export const NEVER_BASELINED: ReadonlySet<string> = new Set(['incomplete-scan', 'ineffective-suppression']);

/** The baseline: findings accepted by fingerprint, never those NEVER_BASELINED. */
export function baselineSuppressor(fingerprints: ReadonlySet<string>): Suppressor {
  return {
    apply: (finding) => (!NEVER_BASELINED.has(finding.ruleId) && fingerprints.has(finding.fingerprint) ? suppressed(finding, 'baseline', 'in the baseline') : undefined),
  };
}

export function suppressed(finding: Finding, by: SuppressionKind, reason?: string): SuppressedFinding {
  return { ...finding, suppressedBy: by, ...(reason ? { reason } : {}) };
}
