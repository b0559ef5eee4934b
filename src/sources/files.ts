import { execFile } from 'node:child_process';
import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { Policy } from '../policy/types.js';
import type { SkippedFile, TextUnit } from '../types.js';
import { formatSize } from '../policy/size.js';

const run = promisify(execFile);

/** Bytes looked at to tell a binary file from text (as git does). */
const BINARY_SNIFF = 8000;

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

/** Builds the include/exclude/log matchers of a policy once. */
export function fileMatchers(policy: Policy) {
  const options = { dot: true };
  const include = picomatch(policy.files.include, options);
  const exclude = policy.files.exclude.length > 0 ? picomatch(policy.files.exclude, options) : () => false;
  const logs = policy.files.logs.length > 0 ? picomatch(policy.files.logs, options) : () => false;
  return {
    selected: (relative: string) => include(relative) && !exclude(relative),
    isLog: (relative: string) => logs(relative),
  };
}

/**
 * Lists the files to scan under `root`: in a git work tree the tracked and untracked,
 * not ignored files (git's own view); elsewhere a walk that honours .gitignore files.
 * Symbolic links are followed only to files inside the root; each file is listed once.
 * Paths are reported as `prefix/<path in root>`, so that they are relative to the repository.
 */
export async function listFiles(root: string, policy: Policy, prefix = ''): Promise<FileListing> {
  const rootReal = await fs.realpath(root);
  const gitList = await gitFiles(rootReal);
  const candidates = gitList ?? (await walk(rootReal));
  const { selected } = fileMatchers(policy);
  const files: FileEntry[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  for (const inRoot of candidates) {
    const relative = prefix ? `${prefix}/${inRoot}` : inRoot;
    if (inRoot.startsWith('.git/') || !selected(relative)) continue;
    const absolute = path.join(rootReal, inRoot);
    let stat;
    try {
      stat = await fs.lstat(absolute);
    } catch {
      continue; // listed by git but deleted in the work tree: nothing to scan
    }
    let target = absolute;
    if (stat.isSymbolicLink()) {
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
    }
    if (!stat.isFile() || seen.has(target)) continue;
    seen.add(target);
    files.push({ absolute: target, relative });
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

async function gitFiles(root: string): Promise<string[] | undefined> {
  try {
    const inside = await run('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root });
    if (inside.stdout.trim() !== 'true') return undefined;
    const { stdout } = await run('git', ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      maxBuffer: 1 << 30,
      encoding: 'buffer',
    });
    return [...new Set(stdout.toString('utf8').split('\0').filter(Boolean))];
  } catch {
    return undefined; // no git, not a work tree, or git refuses (e.g. dubious ownership): walk instead
  }
}

/** Directory walk honouring nested .gitignore files; never descends into links or `.git`. */
async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string, rules: Array<{ base: string; ig: Ignore }>) => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const relativeDir = toPosix(path.relative(root, dir));
    const here = [...rules];
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        here.push({ base: relativeDir, ig: ignore().add(await fs.readFile(path.join(dir, '.gitignore'), 'utf8')) });
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
        if (!ignored(relative, true)) await visit(path.join(dir, entry.name), here);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && !ignored(relative, false)) {
        out.push(relative);
      }
    }
  };
  await visit(root, []);
  return out.sort();
}

export type ReadOutcome = { unit: TextUnit; bytes: number } | { skipped: SkippedFile } | { binary: true };

/** Reads one file as a text unit, or says why it was not read. Never throws for file trouble. */
export async function readFileUnit(entry: FileEntry, policy: Policy, isLog: (relative: string) => boolean): Promise<ReadOutcome> {
  let handle;
  try {
    handle = await fs.open(entry.absolute, 'r');
  } catch (error) {
    return { skipped: fileTrouble(entry.relative, error) };
  }
  try {
    const { size } = await handle.stat();
    if (size > policy.files.maxFileSize) {
      return { skipped: { file: entry.relative, reason: 'too-large', detail: `${formatSize(size)} is over files.maxFileSize (${formatSize(policy.files.maxFileSize)})` } };
    }
    const buffer = await handle.readFile();
    const text = decode(buffer);
    if (text === undefined) return { binary: true };
    return { unit: { path: entry.relative, kind: isLog(entry.relative) ? 'log' : 'file', text }, bytes: buffer.length };
  } catch (error) {
    return { skipped: fileTrouble(entry.relative, error) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function fileTrouble(file: string, error: unknown): SkippedFile {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return { file, reason: 'vanished', detail: 'removed while the scan ran' };
  return { file, reason: 'unreadable', detail: code ?? (error as Error).message };
}

/** Text as UTF-8 (or UTF-16 with a byte-order mark); undefined for binary content (a NUL byte). */
export function decode(buffer: Buffer): string | undefined {
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.subarray(2).toString('utf16le');
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return Buffer.from(buffer.subarray(2, 2 + ((buffer.length - 2) & ~1))).swap16().toString('utf16le');
  if (buffer.subarray(0, BINARY_SNIFF).includes(0)) return undefined;
  return buffer.toString('utf8');
}
