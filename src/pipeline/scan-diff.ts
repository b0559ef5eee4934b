import { parseDiff } from '../sources/diff.js';
import { fileMatchers } from '../sources/files.js';
import type { Finding, SkippedFile, UnitKind } from '../types.js';
import { append } from '../util/arrays.js';
import { scanUnit, type UnitContext, type UnitResult } from './scan-unit.js';
import type { Policy } from '../policy/types.js';

/**
 * Where a finding in a diff is reported: at the file the diff adds, on its line there
 * (`new-file`: a diff on standard input, `git log -p`), or in the diff itself, on the
 * diff's line (`diff`: a `.patch` file in the repository, which is where a reader finds it).
 */
export type DiffPlacement = 'new-file' | 'diff';

/**
 * Scans what a unified diff adds: each file's new side rebuilt without its prefixes,
 * through the ordinary pipeline, every finding placed on its line and kept only when
 * the diff adds one of its lines (context lines are the old file's, not the diff's).
 * `text` may be a chunk of a larger diff, whose first line is the diff's `lineBase + 1`.
 */
export async function scanDiffView(text: string, source: string, kind: UnitKind, policy: Policy, placement: DiffPlacement, context: UnitContext & { lineBase?: number }): Promise<UnitResult> {
  const out: UnitResult = { findings: [], suppressed: [], gaps: [] };
  const { chunk: _chunk, lineBase = 0, ...unitContext } = context;
  for (const file of parseDiff(text).files) {
    const path = placement === 'new-file' ? file.path : source;
    // A file the diff adds is a repository file (or a log, by the policy's globs), whatever carried the diff.
    const unitKind: UnitKind = placement === 'new-file' ? (fileMatchers(policy).isLog(path) ? 'log' : 'file') : kind;
    const result = await scanUnit({ path, kind: unitKind, text: file.text }, policy, unitContext);
    const place = <T extends { line: number; endLine: number }>(item: T): T | undefined => {
      const first = file.lines[item.line - 1];
      const last = file.lines[item.endLine - 1] ?? first;
      if (!first || !last) return undefined;
      const span = file.lines.slice(item.line - 1, item.endLine);
      if (!span.some((line) => line.added)) return undefined;
      const at = (line: (typeof file.lines)[number]) => (placement === 'new-file' ? line.newLine : line.diffLine + lineBase);
      return { ...item, line: at(first), endLine: at(last) };
    };
    append(out.findings, result.findings.flatMap((finding) => place(finding) ?? []));
    append(out.suppressed, result.suppressed.flatMap((finding) => place(finding) ?? []));
    append(out.gaps, result.gaps.map((gap): SkippedFile => {
      const line = gap.line !== undefined ? file.lines[gap.line - 1] : undefined;
      return { ...gap, file: path, ...(line ? { line: placement === 'new-file' ? line.newLine : line.diffLine + lineBase } : {}) };
    }));
  }
  return out;
}

/** The findings of `extra` not already among `found` at the same place (a token on a `+` line is found by both readings of a diff). */
export function notAlreadyFound<T extends Finding>(found: readonly Finding[], extra: readonly T[]): T[] {
  const seen = new Set(found.map((f) => `${f.fingerprint}\0${f.file}\0${f.line}`));
  return extra.filter((f) => !seen.has(`${f.fingerprint}\0${f.file}\0${f.line}`));
}
