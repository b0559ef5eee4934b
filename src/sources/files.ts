import { execFile } from 'node:child_process';
import { promises as fs, readdirSync, readFileSync, type Dirent } from 'node:fs';
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
}

export interface FileListing {
  files: FileEntry[];
  skipped: SkippedFile[];
  /** How the list was made: `git` (tracked + untracked, not ignored) or `walk`. */
  via: 'git' | 'walk';
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/**
 * Globs match any character but a line break, and file names may hold them: match a
 * path with its line breaks stood in for, so that no file escapes the scan by its name.
 */
export const globbable = (relative: string) => relative.replace(/[\r\n]/g, '\u2424');

/** Builds the include/exclude/log matchers of a policy once. */
export function fileMatchers(policy: Policy) {
  const options = { dot: true };
  const include = picomatch(policy.files.include, options);
  const exclude = policy.files.exclude.length > 0 ? picomatch(policy.files.exclude, options) : () => false;
  const logs = policy.files.logs.length > 0 ? picomatch(policy.files.logs, options) : () => false;
  return {
    selected: (relative: string) => include(globbable(relative)) && !exclude(globbable(relative)),
    isLog: (relative: string) => logs(globbable(relative)),
  };
}

/** A listed path, and what the lister already knows of its type. */
interface Candidate {
  path: string;
  /** 'file' when known to be a regular file, 'link' for a symbolic link, 'unknown' otherwise. */
  type: 'file' | 'link' | 'unknown';
}

/**
 * Lists the files to scan under `root`: in a git work tree the tracked files (minus
 * those deleted in the work tree) and the untracked, not ignored ones (git's own view);
 * elsewhere a walk that honours .gitignore files. Only links and paths of unknown type
 * are stat'ed: a link is followed only to a file inside the root, and each target once.
 * Paths are reported as `prefix/<path in root>`, so that they are relative to the repository.
 */
export async function listFiles(root: string, policy: Policy, prefix = ''): Promise<FileListing> {
  const rootReal = await fs.realpath(root);
  const gitList = await gitFiles(rootReal);
  const candidates = gitList ?? (await walk(rootReal));
  const { selected } = fileMatchers(policy);
  const files: FileEntry[] = [];
  const skipped: SkippedFile[] = [];
  const listed = new Set<string>();
  const add = (absolute: string, relative: string) => {
    if (listed.has(absolute)) return;
    listed.add(absolute);
    files.push({ absolute, relative });
  };
  const later: Array<{ absolute: string; relative: string }> = [];
  for (const candidate of candidates) {
    const relative = prefix ? `${prefix}/${candidate.path}` : candidate.path;
    if (candidate.path.startsWith('.git/') || !selected(relative)) continue;
    const absolute = path.join(rootReal, candidate.path);
    if (candidate.type === 'file') add(absolute, relative);
    else later.push({ absolute, relative });
  }
  // Links and paths of unknown type after the plain files, so that a file reached both
  // directly and through a link is reported under its own path, once.
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
    if (target !== rootReal && !target.startsWith(rootReal + path.sep)) {
      skipped.push({ file: relative, reason: 'symlink-outside-root', detail: 'links outside the scanned directory; not followed' });
      continue;
    }
    if (stat.isFile()) add(target, relative);
  }
  return { files, skipped, via: gitList ? 'git' : 'walk' };
}

/** The top directory of the git work tree holding `dir`, or undefined outside one. */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

const GIT = ['-c', 'core.quotepath=off', 'ls-files', '-z'];

async function gitFiles(root: string): Promise<Candidate[] | undefined> {
  try {
    // Outside a work tree (or in .git) ls-files fails, and the walk takes over: no separate rev-parse.
    const list = async (args: string[]) => (await run('git', [...GIT, ...args], { cwd: root, maxBuffer: 1 << 30, encoding: 'buffer' })).stdout.toString('utf8').split('\0').filter(Boolean);
    const [staged, deleted, others] = await Promise.all([list(['--stage']), list(['--deleted']), list(['--others', '--exclude-standard'])]);
    const gone = new Set(deleted);
    const out = new Map<string, Candidate>();
    for (const line of staged) {
      // "<mode> <object> <stage>\t<path>": 100644/100755 files, 120000 links, 160000 submodules
      const tab = line.indexOf('\t');
      const mode = line.slice(0, 6);
      const file = line.slice(tab + 1);
      if (mode === '160000' || gone.has(file)) continue;
      out.set(file, { path: file, type: mode === '120000' ? 'link' : 'file' });
    }
    for (const file of others) if (!out.has(file)) out.set(file, { path: file, type: 'unknown' });
    return [...out.values()];
  } catch {
    return undefined; // no git, not a work tree, or git refuses (e.g. dubious ownership): walk instead
  }
}

/**
 * Directory walk honouring nested .gitignore files; never descends into links or `.git`.
 * Synchronous on purpose: thousands of small directory reads cost more as thread-pool
 * round trips than they block.
 */
async function walk(root: string): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const visit = (dir: string, rules: Array<{ base: string; ig: Ignore }>) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const relativeDir = toPosix(path.relative(root, dir));
    const here = [...rules];
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        here.push({ base: relativeDir, ig: ignore().add(readFileSync(path.join(dir, '.gitignore'), 'utf8')) });
      } catch {
        // unreadable .gitignore: treat as absent
      }
    }
    const ignored = (relative: string, isDir: boolean) =>
      here.some(({ base, ig }) => {
        const sub = base ? relative.slice(base.length + 1) : relative;
        return ig.ignores(isDir ? `${sub}/` : sub);
      });
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!ignored(relative, true)) visit(path.join(dir, entry.name), here);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && !ignored(relative, false)) {
        out.push({ path: relative, type: entry.isFile() ? 'file' : 'link' });
      }
    }
  };
  visit(root, []);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

