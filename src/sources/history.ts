import path from 'node:path';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { git, gitText, gitWith, rawChanges, treeBlobs, type RawChange } from './git.js';

/** What part of a repository's history to read. */
export type HistorySelection =
  /** Every blob reachable from every ref, or from the refs given. */
  | { kind: 'history'; refs?: string[]; since?: string }
  /** Only blobs introduced by the commits of a range (`A..B`), or since a date. */
  | { kind: 'range'; range?: string; since?: string }
  /** The index as it will be committed: blobs staged that differ from HEAD. */
  | { kind: 'staged' };

/** A commit, as findings name it. */
export interface CommitRef {
  sha: string;
  /** Author time, seconds since the epoch. */
  time: number;
}

/** Where a blob entered the history: the first commit that put it at a path, and the commit that later took it away there, if any. */
export interface BlobOrigin {
  oid: string;
  /** The path it was first introduced at (repository-relative). */
  path: string;
  /** Absent for a staged blob (not committed yet). */
  introducedBy?: CommitRef;
  removedBy?: CommitRef;
  /** Introductions of this blob at a path (one per commit and path). */
  occurrences: number;
  /** Whether HEAD holds this blob (at any path). */
  inHead: boolean;
  /** Where HEAD holds it, when it does: the path a scan of the tree reports (and fingerprints) it at. */
  headPath?: string;
}

const SKIPPED_MODES = new Set(['120000', '160000']); // links (their target, no content) and submodules (a commit)
const INTRODUCES = new Set(['A', 'M', 'T']);

/**
 * Records what one change does to the blobs: a first introduction makes an origin
 * (returned, to be read), a later one is counted, a removal is noted, a re-addition at
 * the same path undoes it. HEAD's blobs are known up front, so an origin says at once
 * whether, and where, HEAD holds it.
 */
function collect(change: RawChange, origins: Map<string, BlobOrigin>, head: Map<string, string>): BlobOrigin | undefined {
  const at: CommitRef = { sha: change.commit, time: change.time };
  if (change.oldBlob && change.status !== 'A') {
    const origin = origins.get(change.oldBlob);
    if (origin && origin.path === change.path) origin.removedBy = at;
  }
  if (!change.newBlob || !INTRODUCES.has(change.status) || SKIPPED_MODES.has(change.newMode)) return undefined;
  const origin = origins.get(change.newBlob);
  if (!origin) {
    const created = atHead({ oid: change.newBlob, path: change.path, ...(change.commit ? { introducedBy: at } : {}), occurrences: 1, inHead: false }, head);
    origins.set(change.newBlob, created);
    return created;
  }
  origin.occurrences++;
  // Put back where it was taken away: no longer removed there.
  if (origin.path === change.path) delete origin.removedBy;
  return undefined;
}

/** Marks an origin HEAD holds, with the path it holds it at. */
function atHead(origin: BlobOrigin, head: Map<string, string>): BlobOrigin {
  const path = head.get(origin.oid);
  if (path !== undefined) {
    origin.inHead = true;
    origin.headPath = path;
  }
  return origin;
}

/** Whether the repository has a HEAD commit (a new repository has none). */
async function headExists(cwd: string): Promise<boolean> {
  try {
    await gitText(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], 'read HEAD');
    return true;
  } catch {
    return false;
  }
}

/** HEAD's blobs and where they are (the first path, for a blob at several), or none in a repository without commits. */
async function headBlobs(cwd: string): Promise<Map<string, string>> {
  const head = new Map<string, string>();
  if (!(await headExists(cwd))) return head;
  for (const [path, oid] of await treeBlobs(cwd, 'HEAD', 'list the files of HEAD')) if (!head.has(oid)) head.set(oid, path);
  return head;
}

/** git's empty tree: what the first commit's staged changes are compared with. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/**
 * The blobs a selection reads, each once, with where it came from: `git log --raw` over
 * the selected commits (no content diff), or the staged changes (`git diff --cached
 * --raw`). A full history also lists every blob reachable from the refs
 * (`git rev-list --objects`, when the repository stores a blob the walk did not meet),
 * so that a blob only a tag reaches is read too. Each blob is given as soon as the walk first meets it, so its reading
 * overlaps the rest of the walk; what later commits do to it (removing it, adding it
 * again) is recorded in the same object, complete once the iteration has ended.
 */
export async function* streamBlobs(cwd: string, selection: HistorySelection): AsyncGenerator<BlobOrigin> {
  await gitText(cwd, ['rev-parse', '--git-dir'], 'read the repository');
  const origins = new Map<string, BlobOrigin>();
  const head = await headBlobs(cwd);
  if (selection.kind === 'staged') {
    const against = (await headExists(cwd)) ? 'HEAD' : EMPTY_TREE;
    const out = await git(cwd, ['diff', '--cached', '--raw', '-z', '--no-abbrev', '--no-renames', against, '--'], 'read the staged changes');
    for (const change of parseDiffRaw(out.toString('utf8'))) {
      const origin = collect(change, origins, head);
      if (origin) yield origin;
    }
    return;
  }
  const revisions = revisionsOf(selection);
  if (selection.kind === 'range' && selection.range) await resolvable(cwd, selection.range);
  for (const ref of selection.kind === 'history' ? (selection.refs ?? []) : []) await resolvable(cwd, ref);
  for await (const changes of rawChanges(cwd, revisions, 'read the history')) {
    for (const change of changes) {
      const origin = collect(change, origins, head);
      if (origin) yield origin;
    }
  }
  if (selection.kind !== 'history' || selection.since) return;
  // Usually the walk has met every blob the repository holds, and a listing of its objects (a few milliseconds) proves it; otherwise the reachable ones are found.
  const stored = await git(cwd, ['cat-file', '--batch-all-objects', '--unordered', '--batch-check=%(objecttype) %(objectname)'], 'list the objects of the repository');
  const unmet = stored.toString('utf8').split('\n').some((line) => line.startsWith('blob ') && !origins.has(line.slice(5)));
  if (!unmet) return;
  const reachable = await git(cwd, ['rev-list', '--objects', '--filter=object:type=blob', ...(selection.refs ?? ['--all'])], 'list the reachable blobs');
  for (const origin of await unwalked(cwd, reachable.toString('utf8'), origins)) {
    origins.set(origin.oid, atHead(origin, head));
    yield origin;
  }
}

/**
 * The blobs `git rev-list --objects` reaches that the walk did not meet (a blob a tag
 * points at, say). Its listing also names commits (no path) and annotated tags (with
 * their name, like a path), so what each object is is asked of git: only blobs are read.
 */
async function unwalked(cwd: string, listing: string, walked: Map<string, BlobOrigin>): Promise<BlobOrigin[]> {
  const candidates = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const space = line.indexOf(' ');
    if (space === -1) continue; // a commit
    const oid = line.slice(0, space);
    if (!walked.has(oid) && !candidates.has(oid)) candidates.set(oid, line.slice(space + 1));
  }
  if (candidates.size === 0) return [];
  const types = await gitWith(cwd, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], `${[...candidates.keys()].join('\n')}\n`, 'tell the reachable objects apart');
  const blobs: BlobOrigin[] = [];
  for (const line of types.toString('utf8').split('\n')) {
    const [oid, type] = line.split(' ');
    // A missing object may be a blob: it is kept, and reading it reports the gap.
    if ((type !== 'blob' && type !== 'missing') || !oid) continue;
    // A blob straight under a tag has no path: it is named by its id.
    blobs.push({ oid, path: candidates.get(oid) || `(blob ${oid})`, occurrences: 1, inHead: false });
  }
  return blobs;
}

/** The blobs a selection reads, all of them, once the walk is done (see streamBlobs). */
export async function selectBlobs(cwd: string, selection: HistorySelection): Promise<BlobOrigin[]> {
  const origins: BlobOrigin[] = [];
  for await (const origin of streamBlobs(cwd, selection)) origins.push(origin);
  return origins;
}

function revisionsOf(selection: Exclude<HistorySelection, { kind: 'staged' }>): string[] {
  const since = selection.since ? [`--since=${selection.since}`] : [];
  if (selection.kind === 'range') return [...since, ...(selection.range ? [selection.range] : ['HEAD'])];
  return [...since, ...(selection.refs && selection.refs.length > 0 ? selection.refs : ['--all'])];
}

/** A ref or a range that must resolve: git's own words when it does not. */
async function resolvable(cwd: string, revision: string): Promise<void> {
  const ends = revision.includes('...') ? revision.split('...') : revision.split('..');
  for (const end of ends.filter(Boolean)) {
    try {
      await gitText(cwd, ['rev-parse', '--verify', '--quiet', `${end}^{commit}`], `resolve '${end}'`);
    } catch {
      throw new UserError('ERR_GIT', `cannot resolve '${end}'${ends.length > 1 ? ` in the range '${revision}'` : ''}: no such commit here${await shallowNote(cwd)}`);
    }
  }
}

/**
 * A shallow clone holds only part of the history: a full-history scan, or a range whose
 * commits reach past the shallow boundary, would silently read less than it says. So it
 * is made whole first (`fetch`: `git fetch --unshallow`, as the Action does with the
 * credentials actions/checkout leaves), or refused with what to do.
 */
export async function ensureHistory(cwd: string, selection: HistorySelection, options: { fetch: boolean }): Promise<void> {
  if (selection.kind === 'staged') return;
  const missing = await missingHistory(cwd, selection);
  if (!missing) return;
  if (options.fetch) {
    await git(cwd, ['fetch', '--quiet', '--no-tags', '--unshallow'], 'fetch the rest of the history (git fetch --unshallow)').catch(() => undefined);
    if (!(await missingHistory(cwd, selection))) return;
  }
  throw new UserError('ERR_GIT', `cannot read ${missing}: this is a shallow clone. Fetch the whole history (actions/checkout with fetch-depth: 0, or git fetch --unshallow) and scan again`);
}

/** What a selection needs that a shallow clone lacks, or undefined when nothing is missing. */
async function missingHistory(cwd: string, selection: Exclude<HistorySelection, { kind: 'staged' }>): Promise<string | undefined> {
  const shallow = await gitText(cwd, ['rev-parse', '--is-shallow-repository'], 'read the repository').catch(() => 'false');
  if (shallow !== 'true') return undefined;
  if (selection.kind === 'history') return 'the whole history';
  const ends = selection.range ? (selection.range.includes('...') ? selection.range.split('...') : selection.range.split('..')).filter(Boolean) : ['HEAD'];
  for (const end of ends) {
    const found = await gitText(cwd, ['rev-parse', '--verify', '--quiet', `${end}^{commit}`], 'resolve a commit').catch(() => '');
    if (!found) return `the commit '${end}'`;
  }
  // Every commit of the range present, and none of them cut off at the shallow boundary (its parents absent).
  const boundary = new Set(readShallow(cwd, await gitText(cwd, ['rev-parse', '--git-path', 'shallow'], 'read the repository')).split('\n').filter(Boolean));
  const commits = (await gitText(cwd, ['rev-list', ...(selection.since ? [`--since=${selection.since}`] : []), ...(selection.range ? [selection.range] : ['HEAD'])], 'list the range')).split('\n').filter(Boolean);
  const cut = commits.find((commit) => boundary.has(commit));
  return cut ? `the range '${selection.range ?? 'HEAD'}' whole (its commit ${cut.slice(0, 12)} is at the shallow boundary)` : undefined;
}

/** The commits at a shallow clone's boundary (.git/shallow). */
function readShallow(cwd: string, file: string): string {
  try {
    return readFileSync(path.resolve(cwd, file), 'utf8');
  } catch {
    return '';
  }
}

/** In a shallow clone, what to do about a commit that is not there. */
export async function shallowNote(cwd: string): Promise<string> {
  const shallow = await gitText(cwd, ['rev-parse', '--is-shallow-repository'], 'read the repository').catch(() => 'false');
  return shallow === 'true' ? ' (this is a shallow clone: fetch the history it needs, with actions/checkout fetch-depth: 0, or git fetch --unshallow)' : '';
}

/** `git diff --raw -z` output: changes without a commit. */
function parseDiffRaw(text: string): RawChange[] {
  const tokens = text.split('\0');
  const changes: RawChange[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.startsWith(':')) continue;
    const [, newMode, oldBlob, newBlob, status] = token.slice(1).split(' ');
    const path = tokens[++i] ?? '';
    const zero = (oid = '') => (/^0+$/.test(oid) ? '' : oid);
    changes.push({ commit: '', time: 0, status: (status ?? 'M')[0]!, oldBlob: zero(oldBlob), newBlob: zero(newBlob), newMode: newMode ?? '', path });
  }
  return changes;
}
