import { bracketList } from '../util/format.js';
import picomatch from 'picomatch';
import type { TrustedKeys } from '../analyze/trusted.js';
import type { FixtureJudge } from '../analyze/production.js';
import type { Policy } from '../policy/types.js';
import { applySuppressors, scanUnit } from './scan-unit.js';
import { fileMatchers, globbable, listTargets, relativeTo, type FileEntry, type FileListing } from '../sources/files.js';
import { ScanBudget } from './budget.js';
import { scanBlobs } from './scan-history.js';
import { ensureHistory, streamBlobs, type HistorySelection } from '../sources/history.js';
import { Spool } from '../sources/spool.js';
import { UserError } from '../errors.js';
import { incompleteFinding } from '../rules/incomplete-scan.js';
import { suppressionFinding } from '../rules/ineffective-suppression.js';
import type { BaselineEntry } from '../report/baseline.js';
import { safeText } from '../report/safe.js';
import { append } from '../util/arrays.js';
import { add, empty, HelpersOnDemand, poolSize, scanFiles, ThreadPool, worthSharing, type FilesContext } from './scan-files.js';
import { baselineSuppressor, policySuppressor, type Suppressor } from '../suppress/suppressions.js';
import { INCOMPLETE_REASONS, SEVERITY_RANK, type Finding, type ScanResult, type SkippedFile, type TextUnit } from '../types.js';
import { byCodeUnit } from '../util/order.js';

export interface ScanOptions {
  /** Directory to scan (when `targets` is not given). */
  root?: string;
  /** Files and directories to scan, absolute; every one must exist. */
  targets?: string[];
  /** Directory that reported paths, globs and fingerprints are relative to (the repository root); defaults to the root. */
  base?: string;
  policy: Policy;
  /** Production keys from the policy's `keys.trusted`, by thumbprint. */
  trusted?: TrustedKeys;
  /** `files.fixtures`: what is test material, and what of it is production material all the same. */
  fixtures?: FixtureJudge;
  /** Fingerprints accepted by a baseline file. */
  baseline?: ReadonlySet<string>;
  /** The baseline's entries and its path (relative to the base): an entry that accepts nothing in a file this scan read is reported. */
  baselineEntries?: { entries: readonly BaselineEntry[]; file: string };
  /** The baseline file's path relative to the base, when it is in the tree: read as a baseline, so not scanned. */
  baselineFile?: string;
  /** Extra units to scan besides the files (provided tokens, small texts). */
  extraUnits?: TextUnit[];
  /** Extra files that are not in the tree (standard input and CI job logs, spooled to temporary files), each with its kind and display path. */
  extraFiles?: FileEntry[];
  /** Extra sources' skipped entries and gaps (job logs still running, broken downloads). */
  extraSkipped?: SkippedFile[];
  /** The clock, in seconds since the epoch (tests fix it). */
  now?: number;
  /** Reading threads: the worker bundle (dist/<entry>/worker.js), and a forced count (JWT_GUARD_THREADS). */
  parallel?: { entry: URL; threads?: number };
  /** False to scan only the extra units and files. */
  scanFiles?: boolean;
  /** The analysis budget (tests make it small). */
  budget?: ScanBudget;
  /** JWT_GUARD_DEBUG: analysis failures say where they were thrown. */
  debug?: boolean;
  /** Read git history (or a range, or the staged changes) of the repository at `base` instead of the files of the targets. */
  history?: HistorySelection;
  /** In a shallow clone, fetch the history the selection needs (the Action) instead of refusing. */
  fetchHistory?: boolean;
}

/** Orders findings most severe first, then by file and line. */
export function sortFindings<T extends Finding>(findings: T[]): T[] {
  return findings.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || byCodeUnit(a.file, b.file) || a.line - b.line || a.column - b.column || byCodeUnit(a.ruleId, b.ruleId),
  );
}

/**
 * The whole scan: list files, read, detect, analyze, apply rules and suppressions. Fails
 * closed: whatever was not read or analysed completely is an incomplete-scan finding, and
 * a selection that reads nothing from paths that hold files is a usage error.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const { policy } = options;
  const targets = options.targets ?? (options.root ? [options.root] : []);
  const base = options.base ?? (targets.length === 1 ? targets[0]! : process.cwd());
  const budget = options.budget ?? new ScanBudget();
  const context: FilesContext = { policy, budget, ...(options.debug ? { debug: true } : {}), ...(options.trusted ? { trusted: options.trusted } : {}), ...(options.fixtures ? { fixtures: options.fixtures } : {}), ...(options.now !== undefined ? { now: options.now } : {}) };
  const listFilesToo = options.scanFiles !== false && !options.history;
  // Helper threads read a large tree with the main thread, and screen for weak secrets
  // wherever tokens are found. They start only when there is work for them (a thread costs a
  // small scan more to boot and stop than it saves): as soon as the listing has found enough
  // files to share, before it ends, so that they boot while it goes on; or once enough
  // tokens have asked for screening. A forced thread count starts them at once.
  const size = options.parallel ? poolSize(options.parallel.threads) : 0;
  const forced = options.parallel?.threads;
  let pool: ThreadPool | undefined;
  const startPool = () => (pool ??= size > 0 ? new ThreadPool(options.parallel!.entry, size) : undefined);
  if (forced && forced > 1) startPool();
  let listedFiles = 0;
  const onFile = () => {
    if (!pool && worthSharing(++listedFiles, forced)) startPool();
  };
  if (size > 0) budget.helpers = new HelpersOnDemand({ running: () => pool, start: startPool });
  const total = empty();
  let found = 0;
  let listed: ReadonlySet<string> | undefined;
  try {
    const listing = listFilesToo ? await listTargets(targets, base, policy, process.env, onFile) : undefined;
    if (listing) {
      listed = new Set(listing.files.map((f) => f.relative));
      found = listing.unselected.found;
      const ignored = listing.skipped.filter((s) => s.reason === 'ignored');
      if (listing.files.length === 0 && (found > 0 || ignored.length > 0)) throw nothingSelected(listing, policy, targets.map((t) => relativeTo(base, t) || '.'));
      append(total.skipped, listing.skipped);
      if (options.baselineFile !== undefined) withoutBaseline(listing, options.baselineFile, total.skipped);
      const sharing = worthSharing(listing.files.length, forced) ? startPool() : undefined;
      if (sharing) add(total, await sharing.scan(listing.files, context));
      else add(total, await scanFiles(listing.files, context));
    }
    if (options.history) {
      await ensureHistory(base, options.history, { fetch: options.fetchHistory ?? false });
      const spool = new Spool();
      try {
        const { blobs, selectedBlobs, ...outcome } = await scanBlobs(base, streamBlobs(base, options.history), context, spool);
        found = blobs;
        if (blobs > 0 && selectedBlobs === 0) {
          throw new UserError('ERR_NOTHING_SELECTED', `nothing was read: the history selected holds ${blobs} blob${blobs === 1 ? '' : 's'}, and the policy (${policy.source}) selects none of their paths (files.include ${bracketList(policy.files.include)}, files.exclude ${bracketList(policy.files.exclude)})`);
        }
        add(total, outcome);
      } finally {
        spool.remove();
      }
    }
    append(total.skipped, options.extraSkipped ?? []);
    if (options.extraFiles && options.extraFiles.length > 0) add(total, await scanFiles(options.extraFiles, context));
    for (const unit of options.extraUnits ?? []) {
      total.bytesScanned += Buffer.byteLength(unit.text);
      const result = await scanUnit(unit, policy, { ...context, budget: budget.file(unit.path, unit.kind) });
      append(total.findings, result.findings);
      append(total.suppressed, result.suppressed);
      append(total.skipped, result.gaps);
    }
  } finally {
    budget.helpers = undefined;
    await (pool as ThreadPool | undefined)?.close();
  }

  // Gaps become incomplete-scan findings: the policy's ignore list may accept one (with a reason), a baseline never.
  const { isLog } = fileMatchers(policy);
  const skipped: SkippedFile[] = [];
  for (const gap of total.skipped) {
    if (!INCOMPLETE_REASONS.has(gap.reason)) {
      skipped.push(gap);
      continue;
    }
    const finding = incompleteFinding(policy, { ...gap, unitKind: gap.unitKind ?? (isLog(gap.file) ? 'log' : 'file') });
    if (finding) total.findings.push(finding);
  }
  const suppressors: Suppressor[] = [policySuppressor(policy.ignore)];
  if (options.baseline) suppressors.push(baselineSuppressor(options.baseline));
  const final = applySuppressors(total.findings, suppressors);
  if (options.baselineEntries && listed && !options.history) {
    const stale = staleBaseline(options.baselineEntries, listed, [final.findings, final.suppressed, total.suppressed], policy);
    if (stale) final.findings.push(stale);
  }
  return {
    findings: sortFindings(final.findings),
    suppressed: sortFindings([...total.suppressed, ...final.suppressed]),
    skipped: skipped.sort((a, b) => byCodeUnit(a.file, b.file)),
    ...(listFilesToo || options.history ? { filesListed: found } : {}),
    ...(options.history ? { scope: options.history.kind } : {}),
    filesScanned: total.filesScanned,
    bytesScanned: total.bytesScanned,
    binaryFiles: total.binaryFiles,
    durationMs: Date.now() - started,
  };
}

/**
 * The baseline's entries that accept nothing: their file was read by this scan (a scan of
 * the work tree; a subdirectory's scan judges only the files in it) and no finding there,
 * accepted or not, has their fingerprint. One note on the baseline file, counting them.
 */
function staleBaseline(baseline: NonNullable<ScanOptions['baselineEntries']>, listed: ReadonlySet<string>, found: Finding[][], policy: Policy): Finding | undefined {
  const seen = new Set<string>();
  for (const list of found) for (const f of list) seen.add(f.fingerprint);
  const stale = baseline.entries.filter((e) => e.file !== undefined && listed.has(e.file) && !seen.has(e.fingerprint));
  if (stale.length === 0) return undefined;
  const examples = stale.slice(0, 3).map((e) => `${e.file}${e.line ? `:${e.line}` : ''}${e.ruleId ? ` (${e.ruleId})` : ''}`);
  return suppressionFinding(policy, {
    file: baseline.file,
    line: 1,
    column: 1,
    messageId: 'staleBaseline',
    data: { count: stale.length, findings: stale.length === 1 ? 'finding' : 'findings', examples: safeText(examples.join(', ')), file: baseline.file },
    key: 'stale',
    unitKind: 'file',
  });
}

/** Takes the baseline file out of the files to read, and says so among the skipped files. */
function withoutBaseline(listing: FileListing, baselineFile: string, skipped: SkippedFile[]): void {
  const at = listing.files.findIndex((entry) => entry.relative === baselineFile);
  if (at < 0) return;
  listing.files.splice(at, 1);
  skipped.push({ file: baselineFile, reason: 'baseline', detail: 'it holds fingerprints and places only: read as one, not scanned' });
}

/** The usage error for paths that hold files of which the policy selects none, naming the globs that removed them. */
function nothingSelected(listing: FileListing, policy: Policy, targets: string[]): UserError {
  const { unselected, skipped } = listing;
  const examples = (paths: string[]) => paths.slice(0, 3).map((p) => `'${p}'`).join(', ');
  const reasons: string[] = [];
  if (unselected.notIncludedCount > 0) {
    reasons.push(`files.include ${bracketList(policy.files.include)} matches none of ${unselected.notIncludedCount} (such as ${examples(unselected.notIncluded)})`);
  }
  if (unselected.excludedCount > 0) {
    const removing = policy.files.exclude.filter((glob) => unselected.excluded.some((p) => picomatch(glob, { dot: true })(globbable(p))));
    reasons.push(`files.exclude ${bracketList(removing.length > 0 ? removing : policy.files.exclude)} removes ${unselected.excludedCount} (such as ${examples(unselected.excluded)})`);
  }
  for (const gap of skipped.filter((s) => s.reason === 'ignored')) reasons.push(`in '${gap.file}' ${gap.detail}`);
  const outside = skipped.filter((s) => s.reason === 'symlink-outside-root').length;
  if (outside > 0) reasons.push(`${outside} ${outside === 1 ? 'is a link' : 'are links'} leading out of the repository, not followed`);
  const paths = targets.length === 1 ? `'${targets[0]}'` : `the ${targets.length} paths given`;
  const holds = unselected.found > 0 ? `hold${targets.length === 1 ? 's' : ''} ${unselected.found} file${unselected.found === 1 ? '' : 's'}, and the policy (${policy.source}) selects none of them` : `hold${targets.length === 1 ? 's' : ''} files, and none was listed`;
  return new UserError('ERR_NOTHING_SELECTED', `nothing was read: ${paths} ${holds}: ${reasons.join('; ')}. A scan that reads nothing is not a pass: fix the globs, name the files themselves, or scan other paths.`);
}
