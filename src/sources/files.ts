import { execFile } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { Policy } from '../policy/types.js';
import type { SkippedFile } from '../types.js';

const run = promisify(execFile);

export interface FileEntry {
  /** Absolute path. */
  absolute: string;
  /** Path relative to the base directory (the repository root), with forward slashes. */
  relative: string;
  /** Listed from git's index: it may have been deleted in the work tree, which is no news. */
  tracked?: true;
}

export interface FileListing {
  files: FileEntry[];
  skipped: SkippedFile[];
  /** How the list was made: `git` (tracked + untracked, not ignored) or `walk`. */
  via: 'git' | 'walk';
}

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
 */
export async function listFiles(root: string, policy: Policy, prefix = '', env: NodeJS.ProcessEnv = process.env): Promise<FileListing> {
  const rootReal = await fs.realpath(root);
  const { selected } = fileMatchers(policy);
  const files: FileEntry[] = [];
  const skipped: SkippedFile[] = [];
  // Paths from git or the walk are unique: only links can lead to a file twice.
  const later: Array<{ absolute: string; relative: string }> = [];
  const head = rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep;
  const native = path.sep === '/' ? (p: string) => p : (p: string) => p.split('/').join(path.sep);
  const take: Sink = (file, type, tracked) => {
    const relative = prefix ? `${prefix}/${file}` : file;
    if (file.startsWith('.git/') || !selected(relative)) return;
    const absolute = head + native(file);
    if (type === 'file') files.push(tracked ? { absolute, relative, tracked: true } : { absolute, relative });
    else later.push({ absolute, relative });
  };
  let via: FileListing['via'] = 'git';
  if (!(mightBeInGit(rootReal, env) && (await gitFiles(rootReal, take)))) {
    walk(rootReal, take);
    via = 'walk';
  }
  if (later.length === 0) return { files, skipped, via };
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
  return { files, skipped, via };
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
async function gitFiles(root: string, take: Sink): Promise<boolean> {
  let staged: string[];
  let others: string[];
  try {
    // Outside a work tree (or in .git) ls-files fails, and the walk takes over: no separate rev-parse.
    const list = async (args: string[]) => (await run('git', [...GIT, ...args], { cwd: root, maxBuffer: 1 << 30, encoding: 'buffer' })).stdout.toString('utf8').split('\0');
    [staged, others] = await Promise.all([list(['--stage']), list(['--others', '--exclude-standard'])]);
  } catch {
    return false; // no git, not a work tree, or git refuses (e.g. dubious ownership): walk instead
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
function walk(root: string, take: Sink): void {
  const visit = (dir: string, relativeDir: string, rules: Array<{ base: string; ig: Ignore }>) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
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
