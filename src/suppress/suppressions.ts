import picomatch from 'picomatch';
import { DIRECTIVE, DIRECTIVE_KEYWORD } from '../detect/directive.js';
import { globbable } from '../sources/files.js';
import type { IgnoreEntry } from '../policy/types.js';
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

/** Reads the inline ignore directives of a text. */
export function inlineDirectives(text: string): InlineRange[] {
  if (!text.includes(DIRECTIVE_KEYWORD)) return [];
  const starts = lineStarts(text);
  const ranges: InlineRange[] = [];
  const open: Array<Omit<InlineRange, 'to'>> = [];
  DIRECTIVE.lastIndex = 0;
  for (let match = DIRECTIVE.exec(text); match; match = DIRECTIVE.exec(text)) {
    const { line } = position(starts, match.index);
    const after = match.index + match[0].length;
    const lineEnd = text.indexOf('\n', after);
    const args = directiveArguments(text.slice(after, lineEnd === -1 ? undefined : Math.min(lineEnd, after + 500)));
    switch (match[1]) {
      case '-next-line':
        ranges.push({ from: line + 1, to: line + 1, ...args });
        break;
      case '-begin':
        open.push({ from: line, ...args });
        break;
      case '-end': {
        const begin = open.pop();
        if (begin) ranges.push({ ...begin, to: line });
        break;
      }
      default:
        ranges.push({ from: line, to: line, ...args });
    }
  }
  // An unclosed begin covers nothing: a forgotten end must not silence the rest of the file.
  return ranges;
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
 * The baseline: findings accepted by fingerprint. Never an incomplete-scan finding: what
 * was not read may have changed since the baseline was written, unseen.
 */
export function baselineSuppressor(fingerprints: ReadonlySet<string>): Suppressor {
  return {
    apply: (finding) => (finding.ruleId !== 'incomplete-scan' && fingerprints.has(finding.fingerprint) ? suppressed(finding, 'baseline', 'in the baseline') : undefined),
  };
}

export function suppressed(finding: Finding, by: SuppressionKind, reason?: string): SuppressedFinding {
  return { ...finding, suppressedBy: by, ...(reason ? { reason } : {}) };
}
