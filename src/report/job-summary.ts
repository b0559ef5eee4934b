import type { Finding, ScanResult, Severity } from '../types.js';
import { describeCommit } from './commit.js';
import { byUrgency, groupByArtifact, type ArtifactGroup } from './groups.js';
import { safeText } from './safe.js';
import { countLine, nextSteps, ruleTotals, scannedLine, severityCounts, suppressedLine, type Summary } from './summary.js';
import { append } from '../util/arrays.js';
import { plural } from '../util/format.js';

/** GitHub refuses a step summary over 1 MiB; stay well under it. */
export const SUMMARY_BUDGET = 900 * 1024;

/** How many keys and tokens the first table shows; the rest are in a collapsed section per rule. */
export const MOST_SEVERE = 10;

/**
 * Escapes text from scanned files for a Markdown table cell: no HTML, no table breaks, no
 * code spans, no links. GitHub also turns bare URLs and e-mail addresses into links
 * (`https://…`, `www.…`, `a@b.c`), so a zero-width space breaks each of those: a value
 * taken from a token (an `iss`, a `jku`) is never rendered as a link.
 */
export function cell(value: string): string {
  return safeText(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
    .replace(/\[/g, '&#91;')
    .replace(/]/g, '&#93;')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\u200b.`)
    .replace(/@/g, '@\u200b');
}

const ICON: Record<Severity, string> = { error: '🔴 error', warning: '🟠 warning', note: '🔵 note' };

/** Where the repository is on GitHub, for links to a file at a commit. */
export interface RepositoryLinks {
  serverUrl: string;
  repository: string;
  /** The commit the job checked out (GITHUB_SHA): where files of the work tree are linked. */
  sha?: string;
}

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * A finding's place, linked to the file and line on GitHub: a finding from history at the
 * commit that introduced it (at the path it had there), a file of the work tree at the
 * commit the job checked out. Logs, job logs and inputs are not repository files and get
 * no link. Paths are escaped; nothing taken from a token goes into a link.
 */
function place(f: Finding, links: RepositoryLinks | undefined): string {
  const text = `${cell(f.file)}:${f.line}`;
  if (!links) return text;
  const at = f.commit?.sha ?? (f.unitKind === 'file' ? links.sha : undefined);
  if (!at || !COMMIT.test(at)) return text;
  const url = `${links.serverUrl}/${links.repository}/blob/${at}/${(f.commit?.path || f.file).split('/').map(encodeURIComponent).join('/')}#L${f.line}`;
  return `[${text}](${url})${f.commit ? ` (${cell(describeCommit(f.commit, f.file))})` : ''}`;
}

const TABLE_HEAD = ['| Severity | Rule | Location | Finding | Fingerprint |', '| --- | --- | --- | --- | --- |'];

/** One row per key or token: its findings, most severe first, in the cells of that row. */
function row(group: ArtifactGroup, links: RepositoryLinks | undefined): string {
  const [first] = group.findings;
  const single = group.findings.length === 1 || !group.subject;
  const finding = single
    ? group.findings.map((f) => cell(f.message)).join('<br>')
    : [`${cell(group.subject!)}:`, ...group.findings.map((f) => `${f.severity}: ${cell(f.problem)}`)].join('<br>');
  return `| ${ICON[group.severity]} | ${group.findings.map((f) => `\`${f.ruleId}\``).join('<br>')} | ${first ? place(first, links) : ''} | ${finding} | ${group.findings.map((f) => `\`${f.fingerprint}\``).join('<br>')} |`;
}

/** A group's place in the ranking: its most severe finding's, as byUrgency orders findings. */
const groupUrgency = (a: ArtifactGroup, b: ArtifactGroup) => byUrgency(a.findings[0]!, b.findings[0]!);

/**
 * The job summary in Markdown, read by a reviewer in ten seconds: the verdict; a count per
 * rule and severity, the most severe rule first; the ten most severe keys and tokens with
 * links to their lines; the rest in a collapsed section per rule; what was skipped; and
 * what to do next. Everything stays under `budget` bytes (GitHub refuses a summary over
 * 1 MiB): rows that do not fit are counted, not dropped silently.
 */
export function renderJobSummary(result: ScanResult, summary: Summary, budget = SUMMARY_BUDGET, links?: RepositoryLinks): string {
  const verdict = summary.passed ? (summary.findings === 0 ? '✅ No findings' : `⚠️ ${countLine(summary)}, none at or above '${summary.failOn}'`) : `❌ ${countLine(summary)}`;
  const head = ['## jwt-guard scan', '', `**${verdict}** · ${scannedLine(summary)}${suppressedLine(summary) ? ` · ${suppressedLine(summary)}` : ''}`, ''];

  const totals = ruleTotals(result.findings, summary.failOn);
  if (totals.length > 0) {
    head.push(`| Rule | Findings | At or above '${summary.failOn}' |`, '| --- | --- | ---: |');
    for (const t of totals) head.push(`| ${ICON[t.severity]} \`${t.ruleId}\` | ${severityCounts(t.bySeverity)} | ${t.failing} |`);
    head.push('');
  }

  const tail: string[] = [];
  if (result.skipped.length > 0) {
    tail.push('', `### Skipped (${result.skipped.length})`, '');
    for (const s of result.skipped.slice(0, 50)) tail.push(`- \`${cell(s.file).replace(/&#96;/g, "'")}\`: ${s.reason}${s.detail ? ` (${cell(s.detail)})` : ''}`);
    if (result.skipped.length > 50) tail.push(`- … and ${result.skipped.length - 50} more`);
  }
  const steps = nextSteps(result.findings);
  if (steps.length > 0) append(tail, ['', '### What to do next', '', ...steps.map((s) => `- ${s.full}`)]);

  // The ten most severe keys and tokens first, then the rest under the rule of their most severe finding.
  const groups = groupByArtifact(result.findings).sort(groupUrgency);
  const top = groups.slice(0, MOST_SEVERE);
  const byRule = new Map<string, ArtifactGroup[]>();
  for (const group of groups.slice(MOST_SEVERE)) {
    const rule = group.findings[0]!.ruleId;
    byRule.set(rule, [...(byRule.get(rule) ?? []), group]);
  }

  const OVERFLOW = 200; // room for the line that counts what did not fit
  let size = Buffer.byteLength([...head, ...tail].join('\n')) + OVERFLOW;
  const body: string[] = [];
  let shown = 0;
  let full = false;
  /** Adds lines if they fit the budget (with `reserve` bytes still to come), and says whether they did. */
  const fits = (lines: string[], reserve = 0): boolean => {
    const bytes = Buffer.byteLength(lines.join('\n')) + lines.length;
    if (full || size + bytes + reserve > budget) return !(full = true);
    append(body, lines);
    size += bytes;
    return true;
  };
  if (top.length > 0 && fits([groups.length > MOST_SEVERE ? `### The ${MOST_SEVERE} most severe keys and tokens` : '### Findings', '', ...TABLE_HEAD])) {
    for (const group of top) if (fits([row(group, links)])) shown += group.findings.length;
  }
  for (const [rule, rest] of byRule) {
    const close = ['', '</details>'];
    const count = rest.reduce((n, g) => n + g.findings.length, 0);
    const open = ['', `<details><summary>${ICON[rest[0]!.severity]} <code>${rule}</code>: ${plural(rest.length, 'more key or token', 'more keys and tokens')} (${plural(count, 'finding')})</summary>`, '', ...TABLE_HEAD];
    if (!fits(open, Buffer.byteLength(close.join('\n')) + 2)) break;
    size += Buffer.byteLength(close.join('\n')) + 2; // reserved for the closing tag, pushed after the rows
    for (const group of rest) if (fits([row(group, links)])) shown += group.findings.length;
    append(body, close);
  }
  if (shown < result.findings.length) body.push('', `… and ${plural(result.findings.length - shown, 'more finding')} that do not fit in a job summary: see the log or the SARIF report.`);
  return `${[...head, ...body, ...tail].join('\n')}\n`;
}
