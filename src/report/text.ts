import type { ScanResult, Severity } from '../types.js';
import { safeText } from './safe.js';
import { countLine, scannedLine, suppressedLine, type Summary } from './summary.js';
import { byCodeUnit } from '../util/order.js';
import { describeCommit } from './commit.js';
import { groupByArtifact } from './groups.js';

const NOTHING = { history: 'the history holds no files', range: 'the commits selected introduce no files', staged: 'nothing is staged' } as const;

const COLOURS = { red: 31, yellow: 33, blue: 34, grey: 90, bold: 1, green: 32, underline: 4 } as const;
type Colour = keyof typeof COLOURS;

export interface TextOptions {
  colour: boolean;
}

/** Human output, grouped by file, most severe first. Colour only when asked (a TTY without NO_COLOR). */
export function renderText(result: ScanResult, summary: Summary, options: TextOptions): string {
  const paint = (colour: Colour, text: string) => (options.colour ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text);
  const severityColour: Record<Severity, Colour> = { error: 'red', warning: 'yellow', note: 'blue' };
  const lines: string[] = [];
  const byFile = new Map<string, ScanResult['findings']>();
  for (const finding of result.findings) {
    const list = byFile.get(finding.file) ?? [];
    list.push(finding);
    byFile.set(finding.file, list);
  }
  const indent = ' '.repeat(18);
  for (const [file, findings] of [...byFile].sort(([a], [b]) => byCodeUnit(a, b))) {
    lines.push(paint('underline', `./${safeText(file)}`));
    for (const group of groupByArtifact(findings)) {
      const where = paint('grey', `${group.line}:${group.column}`.padEnd(8));
      const [first] = group.findings;
      const commit = first?.commit ? `${indent}${paint('grey', safeText(describeCommit(first.commit, first.file)))}` : undefined;
      if (group.findings.length === 1 || !group.subject) {
        // One finding on its artifact: its message whole, its rule and fingerprint.
        for (const f of group.findings) {
          lines.push(`  ${where}${paint(severityColour[f.severity], f.severity.padEnd(8))}${safeText(f.message)}  ${paint('grey', f.ruleId)}`);
          lines.push(`${indent}${paint('grey', `fingerprint ${f.fingerprint}`)}`);
        }
      } else {
        // Several: the artifact once, then what each rule says of it.
        lines.push(`  ${where}${paint(severityColour[group.severity], group.severity.padEnd(8))}${safeText(group.subject)}: ${group.findings.length} findings`);
        for (const f of group.findings) {
          lines.push(`${indent}${paint(severityColour[f.severity], f.severity.padEnd(8))}${paint('grey', f.ruleId)}  ${safeText(f.problem)}  ${paint('grey', f.fingerprint)}`);
        }
      }
      if (commit) lines.push(commit);
    }
    lines.push('');
  }
  for (const skip of result.skipped) {
    lines.push(`${paint('yellow', 'skipped')} ./${safeText(skip.file)}: ${skip.reason}${skip.detail ? ` (${safeText(skip.detail)})` : ''}`);
  }
  if (result.skipped.length > 0) lines.push('');
  if (result.filesListed === 0) lines.push(result.scope ? `nothing to scan: ${NOTHING[result.scope]}` : 'nothing to scan: the paths given hold no files', '');
  const scanned = scannedLine(summary);
  const extras = [suppressedLine(summary), summary.binaryFiles ? `${summary.binaryFiles} binary files not searched` : '', summary.skippedFiles ? `${summary.skippedFiles} skipped` : '']
    .filter(Boolean)
    .join(' · ');
  const mark = summary.findings === 0 ? paint('green', '✔') : summary.passed ? paint('yellow', '!') : paint('red', '✖');
  lines.push(`${mark} ${paint('bold', countLine(summary))} · ${scanned}${extras ? ` · ${extras}` : ''}`);
  if (summary.findings > 0 && summary.passed) lines.push(`  none at or above the failure threshold '${summary.failOn}'`);
  return `${lines.join('\n')}\n`;
}
