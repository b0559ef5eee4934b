import type { ScanResult } from '../types.js';
import { describeCommit } from './commit.js';
import { groupByArtifact } from './groups.js';
import { safeText } from './safe.js';
import { countLine, scannedLine, suppressedLine, type Summary } from './summary.js';

/** GitHub refuses a step summary over 1 MiB; stay well under it. */
export const SUMMARY_BUDGET = 900 * 1024;

/** Escapes text from scanned files for a Markdown table cell: no HTML, no table breaks. */
export function cell(value: string): string {
  return safeText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;').replace(/`/g, '&#96;').replace(/\[/g, '&#91;').replace(/]/g, '&#93;');
}

const ICON = { error: '🔴 error', warning: '🟠 warning', note: '🔵 note' } as const;

/** The job summary in Markdown: verdict, counts, a findings table capped to the size budget, skipped files. */
/** Where the repository is on GitHub, for links to a file at a commit. */
export interface RepositoryLinks {
  serverUrl: string;
  repository: string;
}

/** A finding's place, linked to the file at the commit that introduced it when it comes from history (paths are escaped, never a value from a token). */
function place(f: ScanResult['findings'][number], links: RepositoryLinks | undefined): string {
  const text = `${cell(f.file)}:${f.line}`;
  if (!f.commit?.sha || !links || !/^[0-9a-f]{40,64}$/.test(f.commit.sha)) return text;
  const url = `${links.serverUrl}/${links.repository}/blob/${f.commit.sha}/${(f.commit.path || f.file).split('/').map(encodeURIComponent).join('/')}#L${f.line}`;
  return `[${text}](${url}) (${cell(describeCommit(f.commit, f.file))})`;
}

export function renderJobSummary(result: ScanResult, summary: Summary, budget = SUMMARY_BUDGET, links?: RepositoryLinks): string {
  const verdict = summary.passed ? (summary.findings === 0 ? '✅ No findings' : `⚠️ ${countLine(summary)}, none at or above '${summary.failOn}'`) : `❌ ${countLine(summary)}`;
  const head = [
    '## jwt-guard scan',
    '',
    `**${verdict}** · ${scannedLine(summary)}${suppressedLine(summary) ? ` · ${suppressedLine(summary)}` : ''}`,
    '',
  ];
  const rows: string[] = [];
  if (result.findings.length > 0) {
    rows.push('| Severity | Rule | Location | Finding | Fingerprint |', '| --- | --- | --- | --- | --- |');
  }
  const tail: string[] = [];
  if (result.skipped.length > 0) {
    tail.push('', `**Skipped files (${result.skipped.length})**`, '');
    for (const s of result.skipped.slice(0, 50)) tail.push(`- \`${cell(s.file).replace(/&#96;/g, "'")}\`: ${s.reason}${s.detail ? ` (${cell(s.detail)})` : ''}`);
    if (result.skipped.length > 50) tail.push(`- … and ${result.skipped.length - 50} more`);
  }
  let size = Buffer.byteLength([...head, ...rows, ...tail].join('\n')) + 200;
  let shown = 0;
  // One row per key or token: its findings, most severe first, in the cells of that row.
  for (const group of groupByArtifact(result.findings)) {
    const [first] = group.findings;
    if (!first) continue;
    const single = group.findings.length === 1 || !group.subject;
    const finding = single
      ? group.findings.map((f) => cell(f.message)).join('<br>')
      : [`${cell(group.subject!)}:`, ...group.findings.map((f) => `${f.severity}: ${cell(f.problem)}`)].join('<br>');
    const row = `| ${ICON[group.severity]} | ${group.findings.map((f) => `\`${f.ruleId}\``).join('<br>')} | ${place(first, links)} | ${finding} | ${group.findings.map((f) => `\`${f.fingerprint}\``).join('<br>')} |`;
    const bytes = Buffer.byteLength(row) + 1;
    if (size + bytes > budget) break;
    rows.push(row);
    size += bytes;
    shown += group.findings.length;
  }
  if (shown < result.findings.length) rows.push('', `… and ${result.findings.length - shown} more findings: see the log or the SARIF report.`);
  return `${[...head, ...rows, ...tail].join('\n')}\n`;
}
