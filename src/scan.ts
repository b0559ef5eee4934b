import path from 'node:path';
import type { TrustedKeys } from './analyze/trusted.js';
import type { Policy } from './policy/types.js';
import { applySuppressors, scanUnit } from './engine.js';
import { fileMatchers, listFiles, readFileUnit, type FileEntry } from './sources/files.js';
import { baselineSuppressor, policySuppressor, type Suppressor } from './suppress.js';
import { SEVERITY_RANK, type Finding, type ScanResult, type SkippedFile, type SuppressedFinding, type TextUnit } from './types.js';

export interface ScanOptions {
  /** Directory to scan. */
  root: string;
  /** Directory that reported paths, globs and fingerprints are relative to (the repository root); defaults to root. */
  base?: string;
  policy: Policy;
  /** Production keys from the policy's `keys.trusted`, by thumbprint. */
  trusted?: TrustedKeys;
  /** Fingerprints accepted by a baseline file. */
  baseline?: ReadonlySet<string>;
  /** Extra units to scan besides the files (stdin log, CI job logs, provided tokens). */
  extraUnits?: TextUnit[];
  /** Extra sources' skipped entries (job logs still running or too large). */
  extraSkipped?: SkippedFile[];
  /** The clock, in seconds since the epoch (tests fix it). */
  now?: number;
  /** False to scan only the extra units. */
  scanFiles?: boolean;
  /** Files read at once. */
  concurrency?: number;
}

/** The scan root relative to the base, posix-style; '' when they are the same or the root lies outside the base. */
export function pathPrefix(root: string, base: string | undefined): string {
  if (!base) return '';
  const relative = path.relative(path.resolve(base), path.resolve(root));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return '';
  return relative.split(path.sep).join('/');
}

/** Orders findings most severe first, then by file and line. */
export function sortFindings<T extends Finding>(findings: T[]): T[] {
  return findings.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId),
  );
}

/** The whole scan: list files, read, detect, analyze, apply rules and suppressions. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const { policy } = options;
  const listing = options.scanFiles === false ? { files: [], skipped: [] } : await listFiles(options.root, policy, pathPrefix(options.root, options.base));
  const { isLog } = fileMatchers(policy);
  const findings: Finding[] = [];
  const suppressedFindings: SuppressedFinding[] = [];
  const skipped: SkippedFile[] = [...listing.skipped, ...(options.extraSkipped ?? [])];
  let filesScanned = 0;
  let bytesScanned = 0;
  let binaryFiles = 0;

  const collect = async (unit: TextUnit) => {
    const result = await scanUnit(unit, policy, { ...(options.trusted ? { trusted: options.trusted } : {}), ...(options.now !== undefined ? { now: options.now } : {}) });
    findings.push(...result.findings);
    suppressedFindings.push(...result.suppressed);
  };

  const queue: FileEntry[] = listing.files;
  let next = 0;
  const worker = async () => {
    for (let entry = queue[next++]; entry; entry = queue[next++]) {
      const outcome = await readFileUnit(entry, policy, isLog);
      if ('skipped' in outcome) skipped.push(outcome.skipped);
      else if ('binary' in outcome) binaryFiles++;
      else {
        filesScanned++;
        bytesScanned += outcome.bytes;
        await collect(outcome.unit);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  for (const unit of options.extraUnits ?? []) {
    bytesScanned += Buffer.byteLength(unit.text);
    await collect(unit);
  }

  const suppressors: Suppressor[] = [policySuppressor(policy.ignore)];
  if (options.baseline) suppressors.push(baselineSuppressor(options.baseline));
  const final = applySuppressors(findings, suppressors);
  return {
    findings: sortFindings(final.findings),
    suppressed: sortFindings([...suppressedFindings, ...final.suppressed]),
    skipped: skipped.sort((a, b) => a.file.localeCompare(b.file)),
    filesScanned,
    bytesScanned,
    binaryFiles,
    durationMs: Date.now() - started,
  };
}
