import path from 'node:path';
import type { TrustedKeys } from './analyze/trusted.js';
import type { Policy } from './policy/types.js';
import { applySuppressors, scanUnit } from './engine.js';
import { listFiles } from './sources/files.js';
import { add, empty, poolSize, ReadPool, scanFiles, worthSharing, type FilesContext } from './parallel.js';
import { baselineSuppressor, policySuppressor, type Suppressor } from './suppress.js';
import { SEVERITY_RANK, type Finding, type ScanResult, type SkippedFile, type TextUnit } from './types.js';
import { byCodeUnit } from './util/order.js';

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
  /** Reading threads: the worker bundle (dist/<entry>/worker.js), and a forced count (JWT_GUARD_THREADS). */
  parallel?: { entry: URL; threads?: number };
  /** False to scan only the extra units. */
  scanFiles?: boolean;
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
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || byCodeUnit(a.file, b.file) || a.line - b.line || a.column - b.column || byCodeUnit(a.ruleId, b.ruleId),
  );
}

/** The whole scan: list files, read, detect, analyze, apply rules and suppressions. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const { policy } = options;
  const context: FilesContext = { policy, ...(options.trusted ? { trusted: options.trusted } : {}), ...(options.now !== undefined ? { now: options.now } : {}) };
  const size = options.parallel && options.scanFiles !== false ? poolSize(options.parallel.threads) : 0;
  const pool = size > 0 ? new ReadPool(options.parallel!.entry, size) : undefined;
  const total = empty();
  try {
    const listing = options.scanFiles === false ? { files: [], skipped: [] } : await listFiles(options.root, policy, pathPrefix(options.root, options.base));
    total.skipped.push(...listing.skipped, ...(options.extraSkipped ?? []));
    if (pool && worthSharing(listing.files.length, options.parallel?.threads)) add(total, await pool.scan(listing.files, context));
    else add(total, await scanFiles(listing.files, context));
  } finally {
    await pool?.close();
  }
  for (const unit of options.extraUnits ?? []) {
    total.bytesScanned += Buffer.byteLength(unit.text);
    const result = await scanUnit(unit, policy, context);
    total.findings.push(...result.findings);
    total.suppressed.push(...result.suppressed);
  }

  const suppressors: Suppressor[] = [policySuppressor(policy.ignore)];
  if (options.baseline) suppressors.push(baselineSuppressor(options.baseline));
  const final = applySuppressors(total.findings, suppressors);
  return {
    findings: sortFindings(final.findings),
    suppressed: sortFindings([...total.suppressed, ...final.suppressed]),
    skipped: total.skipped.sort((a, b) => byCodeUnit(a.file, b.file)),
    filesScanned: total.filesScanned,
    bytesScanned: total.bytesScanned,
    binaryFiles: total.binaryFiles,
    durationMs: Date.now() - started,
  };
}
