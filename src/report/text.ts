import path from 'node:path';
import type { ScanResult, Severity, UnitKind } from '../types.js';
import { safeText } from './safe.js';
import { atOrAbove, countLine, failureLine, nextSteps, ruleTotals, scannedLine, severityCounts, suppressedLine, type Summary } from './summary.js';
import { byCodeUnit } from '../util/order.js';
import { describeCommit } from './commit.js';
import { groupByArtifact } from './groups.js';

const NOTHING = { history: 'the history holds no files', range: 'the commits selected introduce no files', staged: 'nothing is staged' } as const;

const COLOURS = { red: 31, yellow: 33, blue: 34, grey: 90, bold: 1, green: 32, underline: 4 } as const;
type Colour = keyof typeof COLOURS;

export interface TextOptions {
  colour: boolean;
  /** Where the command runs and the root the scan's paths are relative to: paths are shown relative to the first. */
  paths?: { cwd: string; base: string };
  /** The terminal's width: lines wrap to it (on a TTY only). */
  width?: number;
  /**
   * quiet: only the findings that fail the run and one line of why (nothing at all when it
   * passes); verbose: also every suppressed finding, with what accepted it and the reason.
   */
  detail?: 'quiet' | 'verbose';
}

/** A repository file's path as the user typed it from where they stand (`../x.pem`, `./x.pem`); labels (`<stdin>`) and job logs as they are. */
function shownPath(file: string, kind: UnitKind | undefined, paths: TextOptions['paths']): string {
  if (file.startsWith('<') || (kind !== undefined && kind !== 'file' && kind !== 'log')) return file;
  if (!paths) return `./${file}`;
  const relative = path.relative(paths.cwd, path.join(paths.base, file)).split(path.sep).join('/');
  return relative.startsWith('../') ? relative : `./${relative}`;
}

const VISIBLE = /\u001b\[[0-9;]*m/g;

/**
 * A line wrapped to the terminal's width at spaces, each continuation indented by
 * `indent` columns (colour codes do not count); a word longer than the line stays whole.
 */
export function wrapLine(line: string, width: number | undefined, indent: number): string[] {
  if (!width || width < indent + 20 || line.replace(VISIBLE, '').length <= width) return [line];
  const out: string[] = [];
  let current = '';
  let length = 0;
  for (const word of line.split(/(?<= )/)) {
    const visible = word.replace(VISIBLE, '').length;
    if (length > indent && length + visible - (word.endsWith(' ') ? 1 : 0) > width) {
      out.push(current.trimEnd());
      current = ' '.repeat(indent);
      length = indent;
    }
    current += word;
    length += visible;
  }
  if (current.trim()) out.push(current.trimEnd());
  return out;
}

/** Human output, grouped by file, most severe first. Colour only when asked (a TTY without NO_COLOR). */
export function renderText(result: ScanResult, summary: Summary, options: TextOptions): string {
  const paint = (colour: Colour, text: string) => (options.colour ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text);
  const severityColour: Record<Severity, Colour> = { error: 'red', warning: 'yellow', note: 'blue' };
  const lines: string[] = [];
  const where = (file: string, kind: UnitKind | undefined) => shownPath(safeText(file), kind, options.paths);
  const quiet = options.detail === 'quiet';
  // Quiet: what fails the run, and nothing when it passes (a pre-commit hook or a script's step stays silent).
  if (quiet && summary.passed) return '';
  const shownFindings = quiet ? result.findings.filter((f) => atOrAbove(f.severity, summary.failOn)) : result.findings;
  const byFile = new Map<string, ScanResult['findings']>();
  for (const finding of shownFindings) {
    const list = byFile.get(finding.file) ?? [];
    list.push(finding);
    byFile.set(finding.file, list);
  }
  const indent = ' '.repeat(18);
  const finish = () => `${lines.flatMap((line) => wrapLine(line, options.width, line.startsWith(indent) ? indent.length + 8 : /^ {2}\d/.test(line) ? indent.length : 2)).join('\n')}\n`;
  for (const [file, findings] of [...byFile].sort(([a], [b]) => byCodeUnit(a, b))) {
    const shown = where(file, findings[0]?.unitKind);
    lines.push(paint('underline', shown));
    for (const group of groupByArtifact(findings)) {
      const at = paint('grey', `${group.line}:${group.column}`.padEnd(8));
      const [first] = group.findings;
      const commit = first?.commit ? `${indent}${paint('grey', safeText(describeCommit(first.commit, first.file)))}` : undefined;
      if (group.findings.length === 1 || !group.subject) {
        // One finding on its artifact: its message whole, its rule and fingerprint.
        for (const f of group.findings) {
          lines.push(`  ${at}${paint(severityColour[f.severity], f.severity.padEnd(8))}${safeText(f.message)}  ${paint('grey', f.ruleId)}`);
          lines.push(`${indent}${paint('grey', `fingerprint ${f.fingerprint}`)}`);
        }
      } else {
        // Several: the artifact once, then what each rule says of it.
        lines.push(`  ${at}${paint(severityColour[group.severity], group.severity.padEnd(8))}${safeText(group.subject)}: ${group.findings.length} findings`);
        for (const f of group.findings) {
          lines.push(`${indent}${paint(severityColour[f.severity], f.severity.padEnd(8))}${paint('grey', f.ruleId)}  ${safeText(f.problem)}  ${paint('grey', f.fingerprint)}`);
        }
      }
      if (commit) lines.push(commit);
    }
    lines.push('');
  }
  if (quiet) {
    lines.push(paint('red', failureLine(summary)));
    return finish();
  }
  if (options.detail === 'verbose' && result.suppressed.length > 0) {
    // What was accepted, by what, and why: the review a baseline or an inline comment otherwise hides.
    lines.push(paint('bold', `suppressed (${result.suppressed.length}):`));
    for (const s of result.suppressed) {
      const by = s.suppressedBy === 'policy' ? 'by the policy\'s ignore list' : s.suppressedBy === 'inline' ? 'inline' : 'by the baseline';
      lines.push(`  ${where(s.file, s.unitKind)}:${s.line}:${s.column}  ${paint('grey', s.ruleId)}  accepted ${by}${s.reason ? `: ${safeText(s.reason)}` : ''}`);
      lines.push(`${indent}${paint('grey', safeText(s.message))}`);
    }
    lines.push('');
  }
  for (const skip of result.skipped) {
    lines.push(`${paint('yellow', 'skipped')} ${where(skip.file, skip.unitKind)}: ${skip.reason}${skip.detail ? ` (${safeText(skip.detail)})` : ''}`);
  }
  if (result.skipped.length > 0) lines.push('');
  if (result.filesListed === 0) lines.push(result.scope ? `nothing to scan: ${NOTHING[result.scope]}` : 'nothing to scan: the paths given hold no files', '');
  const scanned = scannedLine(summary);
  const extras = [suppressedLine(summary), summary.binaryFiles ? `${summary.binaryFiles} binary files not searched` : '', summary.skippedFiles ? `${summary.skippedFiles} skipped` : '']
    .filter(Boolean)
    .join(' · ');
  const mark = summary.findings === 0 ? paint('green', '✔') : summary.passed ? paint('yellow', '!') : paint('red', '✖');
  lines.push(`${mark} ${paint('bold', countLine(summary))} · ${scanned}${extras ? ` · ${extras}` : ''}`);
  // Totals per rule, the most severe rule first, then why the run fails (or that it does not), then what to do.
  const totals = ruleTotals(result.findings, summary.failOn);
  const column = totals.reduce((widest, t) => Math.max(widest, t.ruleId.length), 0) + 2;
  for (const t of totals) lines.push(`  ${paint(severityColour[t.severity], t.ruleId.padEnd(column))}${severityCounts(t.bySeverity)}`);
  if (summary.findings > 0) lines.push(summary.passed ? `  none at or above the failure threshold '${summary.failOn}'` : `  ${failureLine(summary).replace(/^jwt-guard found/, 'fails on')}`);
  const steps = nextSteps(result.findings);
  if (steps.length > 0) lines.push(`${paint('bold', 'next:')} ${steps.map((s) => s.short).join('; ')}`);
  return finish();
}
