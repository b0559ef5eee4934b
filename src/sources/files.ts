import { execFile } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { errorCode, UserError } from '../errors.js';
import { byCodeUnit } from '../util/order.js';
import type { Policy } from '../policy/types.js';
import type { SkippedFile, UnitKind } from '../types.js';

const run = promisify(execFile);

export interface FileEntry {
  /** Absolute path. */
  absolute: string;
  /** Path relative to the base directory (the repository root), with forward slashes. */
  relative: string;
  /** Listed from git's index: it may have been deleted in the work tree, which is no news. */
  tracked?: true;
  /** The kind of unit it is, when not decided by the policy's log globs (standard input and job logs, spooled to files). */
  kind?: UnitKind;
  /** Standard input read as a unified diff (`stdin`, --stdin-diff), or as a log that may hold diffs (`auto`, --stdin-log). */
  diff?: 'stdin' | 'auto';
}

export interface FileListing {
  files: FileEntry[];
  skipped: SkippedFile[];
  /** How the list was made: `git` (tracked + untracked, not ignored) or `walk`. */
  via: 'git' | 'walk';
  /** What the policy's globs removed: paths found but not selected, for saying why nothing was read. */
  unselected: Unselected;
}

/** Paths found but not selected by the policy: how many, and a few of each kind. */
export interface Unselected {
  /** Paths found (before selection), the `.git` directory aside. */
  found: number;
  /** Not matched by files.include. */
  notIncluded: string[];
  notIncludedCount: number;
  /** Matched by files.include, then removed by files.exclude. */
  excluded: string[];
  excludedCount: number;
}

const SAMPLES = 20;

export const noneUnselected = (): Unselected => ({ found: 0, notIncluded: [], notIncludedCount: 0, excluded: [], excludedCount: 0 });

/**
 * Globs match any character but a line break, and file names may hold them: match a
 * path with its line breaks stood in for, so that no file escapes the scan by its name.
 */
export const globbable = (relative: string) => (relative.includes('\n') || relative.includes('\r') ? relative.replace(/[\r\n]/g, '\u2424') : relative);

/** A matcher for a glob list; `**` alone (the default include) matches every path without a regex. */
function globs(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  if (patterns.length === 1 && patterns[0] === '**') return () => true;
  return picomatch(patterns as string[], { dot: true });
}

/** Builds the include/exclude/log matchers of a policy once. */
export function fileMatchers(policy: Policy) {
  const include = globs(policy.files.include);
  const exclude = globs(policy.files.exclude);
  const logs = globs(policy.files.logs);
  return {
    selected: (relative: string) => {
      const subject = globbable(relative);
      return include(subject) && !exclude(subject);
    },
    /** Why a path is not selected: 'include' (no include glob matches), 'exclude', or undefined when it is selected. */
    unselected: (relative: string): 'include' | 'exclude' | undefined => {
      const subject = globbable(relative);
      if (!include(subject)) return 'include';
      return exclude(subject) ? 'exclude' : undefined;
    },
    isLog: (relative: string) => logs(globbable(relative)),
  };
}

/**
 * Where a lister puts each path it finds (relative to the root, with forward slashes),
 * with what it already knows of its type: 'file' for a regular file, 'link' for a
 * symbolic link, 'unknown' otherwise; `tracked` when it comes from git's index.
 */
type Sink = (file: string, type: 'file' | 'link' | 'unknown', tracked: boolean) => void;

/**
 * Lists the files to scan under `root`: in a git work tree the tracked files (those
 * deleted in the work tree are passed over by the reader) and the untracked, not
 * ignored ones (git's own view);
 * elsewhere a walk that honours .gitignore files. Only links and paths of unknown type
 * are stat'ed: a link is followed only to a file inside the root, and each target once.
 * Paths are reported as `prefix/<path in root>`, so that they are relative to the repository.
 * `onFile` is told of each path selected, as it is found (the scan starts its helper
 * threads once the tree turns out large enough to share).
 */
export async function listFiles(root: string, policy: Policy, prefix = '', env: NodeJS.ProcessEnv = process.env, onFile?: () => void): Promise<FileListing> {
  const rootReal = await fs.realpath(root);
  const { unselected: why } = fileMatchers(policy);
  const files: FileEntry[] = [];
  const skipped: SkippedFile[] = [];
  const unselected = noneUnselected();
  // Paths from git or the walk are unique: only links can lead to a file twice.
  const later: Array<{ absolute: string; relative: string }> = [];
  const head = rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep;
  const native = path.sep === '/' ? (p: string) => p : (p: string) => p.split('/').join(path.sep);
  const take: Sink = (file, type, tracked) => {
    const relative = prefix ? `${prefix}/${file}` : file;
    if (file.startsWith('.git/')) return;
    unselected.found++;
    const removed = why(relative);
    if (removed) {
      noteUnselected(unselected, removed, relative);
      return;
    }
    const absolute = head + native(file);
    if (type === 'file') files.push(tracked ? { absolute, relative, tracked: true } : { absolute, relative });
    else later.push({ absolute, relative });
    onFile?.();
  };
  let via: FileListing['via'] = 'git';
  const unreadable = (relative: string, error: unknown) => skipped.push(unreadableDirectory(prefix ? `${prefix}/${relative}` : relative, error));
  if (!(mightBeInGit(rootReal, env) && (await gitFiles(rootReal, take, unreadable)))) {
    walk(rootReal, take, unreadable);
    via = 'walk';
  }
  if (later.length === 0) return { files, skipped, via, unselected };
  // Links and paths of unknown type after the plain files, so that a file reached both
  // directly and through a link is reported under its own path, once.
  const listed = new Set(files.map((f) => f.absolute));
  const add = (absolute: string, relative: string) => {
    if (listed.has(absolute)) return;
    listed.add(absolute);
    files.push({ absolute, relative });
  };
  for (const { absolute, relative } of later) {
    let stat;
    try {
      stat = await fs.lstat(absolute);
    } catch {
      continue; // gone since it was listed
    }
    if (!stat.isSymbolicLink()) {
      if (stat.isFile()) add(absolute, relative);
      continue;
    }
    let target: string;
    try {
      target = await fs.realpath(absolute);
      stat = await fs.stat(target);
    } catch {
      continue; // dangling link
    }
    if (target !== rootReal && !target.startsWith(head)) {
      skipped.push({ file: relative, reason: 'symlink-outside-root', detail: 'links outside the scanned directory; not followed' });
      continue;
    }
    if (stat.isFile()) add(target, relative);
  }
  return { files, skipped, via, unselected };
}

export function noteUnselected(unselected: Unselected, removed: 'include' | 'exclude', relative: string): void {
  if (removed === 'include') {
    if (unselected.notIncluded.length < SAMPLES) unselected.notIncluded.push(relative);
    unselected.notIncludedCount++;
  } else {
    if (unselected.excluded.length < SAMPLES) unselected.excluded.push(relative);
    unselected.excludedCount++;
  }
}

/** A directory the walk could not list: its files would go unread, so it is a gap (incomplete-scan), not silence. */
function unreadableDirectory(relative: string, error: unknown): SkippedFile {
  return { file: relative || '.', reason: 'unreadable', detail: `the directory cannot be listed (${errorCode(error) ?? 'error'}), so its files were not read` };
}


/** The top directory of the git work tree holding `dir`, or undefined outside one. */
export async function gitTopLevel(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (!mightBeInGit(path.resolve(dir), env)) return undefined;
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

const GIT = ['-c', 'core.quotepath=off', 'ls-files', '-z'];

/**
 * Whether `dir` may be in a git work tree: git's own environment is set, or a `.git`
 * (directory, or file of a linked work tree or submodule) lies in it or above it. Where
 * neither holds, git would only fail, so the tree is walked without starting it.
 */
function mightBeInGit(dir: string, env: NodeJS.ProcessEnv): boolean {
  if (env.GIT_DIR || env.GIT_WORK_TREE) return true;
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.git'))) return true;
    if (path.dirname(at) === at) return false;
  }
}

/**
 * Tracked files (with their modes, from the index) and untracked files that are not
 * ignored: two git processes, run at once. Tracked files deleted in the work tree are
 * not asked for (that costs git an lstat per file); the reader passes over them.
 * False when git cannot list the tree, and nothing has been put in the sink.
 */
async function gitFiles(root: string, take: Sink, unreadable: (relativeDir: string, error: unknown) => void): Promise<boolean> {
  let staged: string[];
  let others: string[];
  let warnings: string;
  try {
    // Outside a work tree (or in .git) ls-files fails, and the walk takes over: no separate rev-parse.
    const list = async (args: string[]) => {
      const { stdout, stderr } = await run('git', [...GIT, ...args], { cwd: root, maxBuffer: 1 << 30, encoding: 'buffer' });
      return { paths: stdout.toString('utf8').split('\0'), stderr: stderr.toString('utf8') };
    };
    const [a, b] = await Promise.all([list(['--stage']), list(['--others', '--exclude-standard'])]);
    staged = a.paths;
    others = b.paths;
    warnings = b.stderr;
  } catch {
    return false; // no git, not a work tree, or git refuses (e.g. dubious ownership): walk instead
  }
  // git lists untracked files by walking the tree, and only warns about a directory it cannot open.
  for (const match of warnings.matchAll(/could not open directory '([^'\n]*)': ([^\n]*)/g)) {
    unreadable(match[1]!.replace(/\/$/, ''), { code: match[2]!.trim() });
  }
  let previous = '';
  for (const line of staged) {
    // "<mode> <object> <stage>\t<path>": 100644/100755 files, 120000 links, 160000 submodules
    if (!line) continue;
    const file = line.slice(line.indexOf('\t') + 1);
    const mode = line.slice(0, 6);
    if (mode === '160000' || file === previous) continue; // a submodule, or another stage of a conflicted path (stages are adjacent)
    previous = file;
    take(file, mode === '120000' ? 'link' : 'file', true);
  }
  // Untracked files are never in the index, so never listed twice.
  for (const file of others) if (file) take(file, 'unknown', false);
  return true;
}

/**
 * Directory walk honouring nested .gitignore files; never descends into links or `.git`.
 * Synchronous on purpose: thousands of small directory reads cost more as thread-pool
 * round trips than they block. Paths are built by concatenation, not path.join: the
 * names come from readdir and need no normalising.
 */
function walk(root: string, take: Sink, unreadable: (relativeDir: string, error: unknown) => void): void {
  const visit = (dir: string, relativeDir: string, rules: Array<{ base: string; ig: Ignore }>) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      unreadable(relativeDir, error);
      return;
    }
    let here = rules;
    for (const entry of entries) {
      if (entry.name === '.gitignore' && entry.isFile()) {
        try {
          here = [...rules, { base: relativeDir, ig: ignore().add(readFileSync(dir + path.sep + entry.name, 'utf8')) }];
        } catch {
          // unreadable .gitignore: treat as absent
        }
        break;
      }
    }
    const ignored = (relative: string, isDir: boolean) =>
      here.length > 0 &&
      here.some(({ base, ig }) => {
        const sub = base ? relative.slice(base.length + 1) : relative;
        return ig.ignores(isDir ? `${sub}/` : sub);
      });
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const entry of entries) {
      const name = entry.name;
      if (name === '.git') continue;
      const relative = relativeDir ? `${relativeDir}/${name}` : name;
      if (entry.isDirectory()) {
        if (!ignored(relative, true)) visit(prefix + name, relative, here);
      } else if (entry.isFile()) {
        if (!ignored(relative, false)) take(relative, 'file', false);
      } else if (entry.isSymbolicLink() && !ignored(relative, false)) {
        take(relative, 'link', false);
      }
    }
  };
  visit(root, '', []);
}

/** Whether `target` is `root` or lies inside it (both absolute and resolved). */
export function isInside(root: string, target: string): boolean {
  return target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** `file` relative to `base`, with forward slashes. */
export function relativeTo(base: string, file: string): string {
  return path.relative(base, file).split(path.sep).join('/');
}

/**
 * Lists what the scan targets name: each directory as listFiles does (git-aware), each
 * file by itself, with the same policy selection, paths relative to `base`, and each file
 * once however many targets reach it. A named link is followed only to a regular file
 * inside `base`. `onFile` as for listFiles.
 */
export async function listTargets(targets: readonly string[], base: string, policy: Policy, env: NodeJS.ProcessEnv = process.env, onFile?: () => void): Promise<FileListing> {
  const baseReal = await fs.realpath(base);
  const { unselected: why } = fileMatchers(policy);
  const total: FileListing = { files: [], skipped: [], via: 'walk', unselected: noneUnselected() };
  const seen = new Set<string>();
  const addFile = (entry: FileEntry) => {
    if (seen.has(entry.absolute)) return;
    seen.add(entry.absolute);
    total.files.push(entry);
  };
  for (const target of targets) {
    const stat = await fs.lstat(target);
    if (stat.isDirectory()) {
      const listing = await listFiles(target, policy, directoryPrefix(target, base), env, onFile);
      if (listing.via === 'git') total.via = 'git';
      // Nothing listed from a directory that holds files: git (or .gitignore) ignores them all. Say so, never pass on it.
      if (listing.unselected.found === 0 && listing.skipped.length === 0 && holdsAFile(target)) {
        total.skipped.push({ file: relativeTo(base, target) || '.', reason: 'ignored', detail: `every file there is ignored (${listing.via === 'git' ? "by git's ignore rules" : 'by .gitignore'}), so none was read` });
      }
      for (const entry of listing.files) addFile(entry);
      for (const skip of listing.skipped) total.skipped.push(skip);
      const { unselected } = listing;
      total.unselected.found += unselected.found;
      for (const relative of unselected.notIncluded) noteUnselected(total.unselected, 'include', relative);
      for (const relative of unselected.excluded) noteUnselected(total.unselected, 'exclude', relative);
      total.unselected.notIncludedCount += unselected.notIncludedCount - unselected.notIncluded.length;
      total.unselected.excludedCount += unselected.excludedCount - unselected.excluded.length;
      continue;
    }
    const relative = relativeTo(base, target);
    total.unselected.found++;
    const removed = why(relative);
    if (removed) {
      noteUnselected(total.unselected, removed, relative);
      continue;
    }
    let absolute = target;
    if (stat.isSymbolicLink()) {
      let real: string;
      try {
        real = await fs.realpath(target);
      } catch (error) {
        total.skipped.push({ file: relative, reason: 'unreadable', detail: `the link cannot be followed (${errorCode(error) ?? 'error'})` });
        continue;
      }
      if (!isInside(baseReal, real)) {
        total.skipped.push({ file: relative, reason: 'symlink-outside-root', detail: 'links outside the repository; not followed' });
        continue;
      }
      absolute = real;
    }
    const real = absolute === target ? stat : await fs.stat(absolute);
    if (!real.isFile()) {
      total.skipped.push({ file: relative, reason: 'unreadable', detail: 'not a regular file' });
      continue;
    }
    addFile({ absolute, relative });
  }
  // One order on every machine (readdir's is the file system's own): the analysis budget and
  // the memo follow the list, so the same tree gives the same findings everywhere.
  total.files.sort((a, b) => byCodeUnit(a.relative, b.relative));
  return total;
}

/** Whether a directory holds a file anywhere below it, `.git` aside: a bounded search that stops at the first. */
function holdsAFile(dir: string, budget = { entries: 100_000 }): boolean {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (--budget.entries < 0) return true; // so many entries that some must be files
    if (entry.name === '.git') continue;
    if (!entry.isDirectory()) return true;
    if (holdsAFile(dir + path.sep + entry.name, budget)) return true;
  }
  return false;
}

/** The scan root relative to the base, posix-style; '' when they are the same or the root lies outside the base. */
export function directoryPrefix(root: string, base: string | undefined): string {
  if (!base) return '';
  const relative = path.relative(path.resolve(base), path.resolve(root));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return '';
  return relative.split(path.sep).join('/');
}

export interface ResolvedTargets {
  /** Absolute paths, each existing. */
  targets: string[];
  targetsAreFiles: boolean[];
  /** The directory reported paths are relative to: the repository root the targets share, else their nearest common directory. */
  base: string;
}

/**
 * Resolves the paths a user names (files or directories, in or out of git) against
 * `cwd`. A path that does not exist is a usage error naming it. The base is the git top
 * level they share; outside git, a single directory is its own base, and otherwise the
 * nearest directory that holds them all.
 */
export async function resolveTargets(paths: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedTargets> {
  const targets: string[] = [];
  const targetsAreFiles: boolean[] = [];
  const tops: string[] = [];
  for (const given of paths.length > 0 ? paths : ['.']) {
    const absolute = path.resolve(cwd, given);
    let stat;
    try {
      stat = await fs.stat(absolute);
    } catch (error) {
      throw new UserError('ERR_USAGE', `cannot scan '${given}': ${errorCode(error) === 'ENOENT' ? 'no such file or directory' : `it cannot be read (${errorCode(error) ?? 'error'})`}`);
    }
    const isFile = !stat.isDirectory();
    targets.push(absolute);
    targetsAreFiles.push(isFile);
    const dir = isFile ? path.dirname(absolute) : absolute;
    tops.push((await gitTopLevel(dir, env)) ?? dir);
  }
  return { targets, targetsAreFiles, base: commonDirectory(tops) };
}

/** The deepest directory that is or holds each of `dirs` (absolute). */
function commonDirectory(dirs: readonly string[]): string {
  let common = dirs[0]!;
  for (const dir of dirs.slice(1)) {
    while (!isInside(common, dir)) common = path.dirname(common);
  }
  return common;
}
