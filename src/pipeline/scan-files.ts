import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TrustedKeys } from '../analyze/trusted.js';
import type { FixtureJudge } from '../analyze/production.js';
import { scanUnit } from './scan-unit.js';
import { errorKind } from '../errors.js';
import { looksLikeDiff, parseDiff } from '../sources/diff.js';
import type { Chunk } from '../sources/read.js';
import type { SkippedFile, TextUnit, UnitKind } from '../types.js';
import type { FileBudget } from './budget.js';
import { notAlreadyFound, scanDiffView } from './scan-diff.js';
import type { UnitContext, UnitResult } from './scan-unit.js';
import { analyzeCode, type CodeAnalysis } from '../code/index.js';
import type { CodeLanguage } from '../code/languages.js';
import { ScanBudget } from './budget.js';
import { append } from '../util/arrays.js';
import type { Policy } from '../policy/types.js';
import { fileMatchers, type FileEntry } from '../sources/files.js';
import { lookAt, type Hit, type Looked } from '../sources/looks.js';
import { claim, packFiles, type FromHelper, type ReadWork, type ToHelper } from './thread-protocol.js';
import type { ScreenHelpers } from '../rules/weak-secret.js';
import { FileReader } from '../sources/read.js';
import type { ScanResult } from '../types.js';

export interface FilesContext {
  policy: Policy;
  trusted?: TrustedKeys;
  fixtures?: FixtureJudge;
  now?: number;
  /** The scan's analysis budget and memo; a scan of files without one has a budget of its own. */
  budget?: ScanBudget;
  /** JWT_GUARD_DEBUG: analysis failures say where they were thrown. */
  debug?: boolean;
}

/** What scanning a set of files yields: a scan result without its duration. */
export type FilesOutcome = Omit<ScanResult, 'durationMs' | 'filesListed'>;

export const empty = (): FilesOutcome => ({ findings: [], suppressed: [], skipped: [], filesScanned: 0, bytesScanned: 0, binaryFiles: 0 });

/** Below this many files, a second thread costs more to start than it saves. */
const MIN_FILES_PER_EXTRA_THREAD = 2000;

/** Whether sharing `files` among threads pays: always when the thread count is forced. */
export function worthSharing(files: number, forced?: number): boolean {
  return Boolean(forced && forced > 1) || files >= MIN_FILES_PER_EXTRA_THREAD;
}

/** Adds the counts and skipped files of a part (a whole outcome, or a run's first looks) into a running total. */
function addCounts(total: FilesOutcome, part: Pick<FilesOutcome, 'skipped' | 'filesScanned' | 'bytesScanned' | 'binaryFiles'>): void {
  append(total.skipped, part.skipped);
  total.filesScanned += part.filesScanned;
  total.bytesScanned += part.bytesScanned;
  total.binaryFiles += part.binaryFiles;
}

/** Adds one part's outcome into a running total. */
export function add(total: FilesOutcome, part: FilesOutcome): void {
  append(total.findings, part.findings);
  append(total.suppressed, part.suppressed);
  addCounts(total, part);
}

/**
 * The main thread's part: decodes and analyses the files whose first look found an
 * anchor (whichever thread looked), through its own reader's chunk buffer.
 */
export class Analyst {
  private isLog: ((relative: string) => boolean) | undefined;
  private readonly unitContext: { trusted?: TrustedKeys; fixtures?: FixtureJudge; now?: number; debug?: boolean };
  private readonly budget: ScanBudget;

  /** The units whose code a helper analyses, each settled (its result added) when that is done. */
  private readonly later: Array<Promise<void>> = [];
  /** The text those units hold until then. */
  private laterBytes = 0;

  constructor(
    private readonly context: FilesContext,
    readonly reader: FileReader,
    private readonly out: FilesOutcome,
    private readonly codeHelpers?: CodeHelpers,
  ) {
    this.unitContext = { ...(context.trusted ? { trusted: context.trusted } : {}), ...(context.fixtures ? { fixtures: context.fixtures } : {}), ...(context.now !== undefined ? { now: context.now } : {}), ...(context.debug ? { debug: true } : {}) };
    this.budget = context.budget ?? new ScanBudget();
  }

  /** Takes the first look at files[start, end) on this thread and counts it; the hits are the caller's to analyse. */
  look(files: readonly FileEntry[], start: number, end: number): Looked {
    const looked = lookAt(this.reader, files, start, end);
    addCounts(this.out, looked);
    return looked;
  }

  /** Takes the first look at files[start, end) on this thread, counts it, and analyses its hits in order. */
  async lookAndAnalyse(files: readonly FileEntry[], start: number, end: number): Promise<void> {
    for (const { index, hit } of this.look(files, start, end).hits) await this.analyse(files[index]!, hit);
  }

  /**
   * Decodes and analyses one file, chunk by chunk, within its share of the budget.
   * Contained: a chunk whose analysis fails is a gap at that file, and the scan goes on.
   */
  async analyse(entry: FileEntry, hit: Hit): Promise<void> {
    const { out, context } = this;
    this.isLog ??= fileMatchers(context.policy).isLog;
    const kind = entry.kind ?? (this.isLog(entry.relative) ? 'log' : 'file');
    const budget = this.budget.file(entry.relative, kind);
    const diff = entry.diff ?? (PATCH_FILE.test(entry.relative) ? 'patch' : undefined);
    const failed = (chunk: Chunk, error: unknown): SkippedFile => ({ file: entry.relative, reason: 'analysis-failed', detail: `the analysis of the text from line ${chunk.lineBase + 1} failed (${errorKind(error, context.debug)})`, line: chunk.lineBase + 1, unitKind: kind });
    const adopt = (result: UnitResult) => {
      append(out.findings, result.findings);
      append(out.suppressed, result.suppressed);
      append(out.skipped, result.gaps);
    };
    // A whole source file's code checks may go to a helper: its result, and what is said of
    // the file after it, are then added when the helper is done (in the same order).
    let deferred: Promise<void> | undefined;
    const codeLater = this.codeHelpers && !context.debug ? (chunk: Chunk): UnitContext['codeLater'] => (unit, language, finish) => {
      const analysis = this.codeAnalysis(unit, language);
      if (!analysis) return false;
      deferred = analysis.then(finish).then(adopt, (error: unknown) => void out.skipped.push(failed(chunk, error)));
      return true;
    } : undefined;
    const outcome = await this.reader.read(entry, hit, async (chunk) => {
      let result;
      try {
        result = diff ? await this.scanWithDiff(entry.relative, kind, chunk, budget, diff) : await scanUnit({ path: entry.relative, kind, text: chunk.text }, context.policy, { ...this.unitContext, chunk, budget, ...(codeLater ? { codeLater: codeLater(chunk) } : {}) });
      } catch (error) {
        out.skipped.push(failed(chunk, error));
        return;
      }
      adopt(result);
    });
    const after = budget.gaps();
    if (outcome.kind === 'skipped') after.push({ ...outcome.skipped, unitKind: kind });
    else {
      out.filesScanned++;
      out.bytesScanned += outcome.bytes;
      if (outcome.partly) after.push({ file: entry.relative, reason: 'partly-scanned', detail: outcome.partly, unitKind: kind });
    }
    if (deferred) this.later.push(deferred.then(() => void append(out.skipped, after)));
    else append(out.skipped, after);
  }

  /**
   * A source file's code analysis by a helper thread, or by this one if no helper could run
   * it; undefined (analysed here, now) when the text waiting for helpers is at its bound.
   */
  private codeAnalysis(unit: TextUnit, language: CodeLanguage): Promise<CodeAnalysis> | undefined {
    const helpers = this.codeHelpers;
    const bytes = unit.text.length;
    if (!helpers || this.laterBytes + bytes > MAX_LATER_TEXT) return undefined;
    this.laterBytes += bytes;
    return helpers
      .analyseCode(unit.path, unit.text, language)
      .then((analysis) => analysis ?? analyzeCode(unit.path, unit.text, language, this.context.debug))
      .finally(() => (this.laterBytes -= bytes));
  }

  /**
   * Waits for the code analyses handed to helpers, running here those no helper has taken
   * yet (the last first, while the helpers take from the front), and adds their results.
   */
  async settle(): Promise<void> {
    for (let job = this.codeHelpers?.takeCodeJob(); job; job = this.codeHelpers?.takeCodeJob()) {
      job.resolve(await analyzeCode(job.path, job.text, job.language, this.context.debug));
      await nextTurn(); // the helpers' answers, and their next jobs
    }
    await Promise.all(this.later);
    this.later.length = 0;
  }

  /**
   * A chunk that is, or may hold, a unified diff. `stdin`: a diff only (--stdin-diff),
   * read as the files it adds. `auto` (a piped log): its diff sections read as the files
   * they add, the rest (commit headers and messages) as log text. `patch` (a .patch or
   * .diff file in the tree): read as text, and its added files too, reported on the
   * patch's own lines.
   */
  private async scanWithDiff(path: string, kind: UnitKind, chunk: Chunk, budget: FileBudget, diff: NonNullable<FileEntry['diff']> | 'patch'): Promise<UnitResult> {
    const { policy } = this.context;
    const unitContext = { ...this.unitContext, budget, lineBase: chunk.lineBase };
    if (diff === 'patch') {
      const raw = await scanUnit({ path, kind, text: chunk.text }, policy, { ...this.unitContext, chunk, budget });
      if (!looksLikeDiff(chunk.text)) return raw;
      const added = await scanDiffView(chunk.text, path, kind, policy, 'diff', unitContext);
      return { findings: [...raw.findings, ...notAlreadyFound(raw.findings, added.findings)], suppressed: [...raw.suppressed, ...notAlreadyFound(raw.suppressed, added.suppressed)], gaps: [...raw.gaps, ...added.gaps] };
    }
    const parsed = diff === 'auto' && looksLikeDiff(chunk.text) ? parseDiff(chunk.text) : undefined;
    if (diff === 'auto' && !parsed) return scanUnit({ path, kind, text: chunk.text }, policy, { ...this.unitContext, chunk, budget });
    const added = await scanDiffView(chunk.text, path, kind, policy, 'new-file', unitContext);
    if (!parsed) return added;
    // The lines around the diffs (commit headers and messages), as log text, on their own lines.
    const rest = chunk.text.split('\n').map((line, i) => (parsed.diffLines.has(i + 1) ? '' : line)).join('\n');
    const raw = await scanUnit({ path, kind, text: rest }, policy, { ...this.unitContext, chunk, budget });
    return { findings: [...raw.findings, ...added.findings], suppressed: [...raw.suppressed, ...added.suppressed], gaps: [...raw.gaps, ...added.gaps] };
  }
}

/** Source text held for the code analyses helpers have yet to return; past it, a file's code is analysed on the main thread. */
const MAX_LATER_TEXT = 32 << 20;

/** A source file's code checks, waiting for a thread to run them. */
export interface CodeJob {
  path: string;
  text: string;
  language: CodeLanguage;
  resolve: (analysis: CodeAnalysis | undefined) => void;
}

/** Helper threads that run the code checks of source files for the main thread. */
export interface CodeHelpers {
  /** The analysis, or undefined when no helper could run it (the caller runs it). */
  analyseCode(path: string, text: string, language: CodeLanguage): Promise<CodeAnalysis | undefined>;
  /** The last job no helper has taken yet, for the caller to run (and resolve). */
  takeCodeJob(): CodeJob | undefined;
}

/** Patch files in a tree, read as text and as the files they add. */
const PATCH_FILE = /\.(patch|diff)$/i;

/**
 * Scans files on the calling thread alone: a synchronous first look at each (read and
 * pre-filter), then decoding and analysis of the few whose anchors fit a detector's shape.
 */
export async function scanFiles(files: FileEntry[], context: FilesContext): Promise<FilesOutcome> {
  const out = empty();
  await new Analyst(context, new FileReader(context.policy.files.maxFileSize), out).lookAndAnalyse(files, 0, files.length);
  return out;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** How long the main thread analyses before it lets the helpers' messages in. */
const TURN_MS = 10;

/** One helper thread, and what the main thread knows of it. */
interface Helper {
  worker: Worker;
  /** Set once it has stopped (failed to start, crashed, exited); a stopped thread's unreported runs are read again. */
  stopped: boolean;
  /** Set while it reads a scan's files (it answers nothing else until it is done). */
  reading: boolean;
  /** Requests sent (screening, code checks) and not yet answered: each is told the answer, or undefined once the thread has stopped. */
  asked: Map<number, (answer: FromHelper | undefined) => void>;
  /** How many of those are code checks. */
  coding: number;
  /**
   * The screening asked of it and not yet answered, and where it writes the id of each it
   * has finished: a main thread busy analysing may not read the answer for a while, and the
   * helper is free again as soon as it is done.
   */
  screening?: number;
  finished: Int32Array;
  onMessage?: (message: FromHelper) => void;
  onStop?: () => void;
}

/**
 * Helper threads, started before the file list is known so that they boot while the
 * tree is listed. In `scan`, every thread (the main one too) claims runs of files from
 * one shared queue and takes the first look at them; the files with an anchor are
 * analysed on the main thread, so findings are the same as a single-threaded scan's
 * (the caller sorts them). A thread that fails to start or stops early costs time, not
 * files: the main thread reads whatever no thread reported. A helper that is not
 * reading screens chunks of the well-known secrets for weak-secret (`share`, as
 * `ScreenHelpers`), for the tree, history and every other unit of the scan; a chunk it
 * cannot screen is screened by the main thread. It also runs the code checks of source
 * files (`analyseCode`, as `CodeHelpers`). `entry` is the worker bundle
 * (src/pipeline/reading-thread.ts).
 */
export class ThreadPool implements ScreenHelpers, CodeHelpers {
  private readonly helpers: Helper[];
  private nextId = 0;

  constructor(entry: URL, size: number) {
    this.helpers = Array.from({ length: size }, () => {
      const helper: Helper = { worker: new Worker(entry), stopped: false, reading: false, asked: new Map(), coding: 0, finished: new Int32Array(new SharedArrayBuffer(4)).fill(-1) };
      const stop = () => {
        if (helper.stopped) return;
        helper.stopped = true;
        helper.reading = false;
        for (const resolve of helper.asked.values()) resolve(undefined);
        helper.asked.clear();
        helper.coding = 0;
        helper.screening = undefined;
        helper.onStop?.();
        this.handOutCode(); // the last one to stop leaves its waiting code checks to the main thread
      };
      helper.worker.on('message', (message: FromHelper) => {
        if (message.type === 'screened' || message.type === 'coded') {
          this.answered(helper, message.id, message);
        } else {
          helper.onMessage?.(message);
        }
        this.handOutCode(); // it may be free now
      });
      helper.worker.on('error', stop);
      helper.worker.on('exit', stop);
      return helper;
    });
  }

  /** Helpers free to screen: alive, not reading, nothing asked of them yet unanswered (a screening it has finished counts as answered). */
  private free(): Helper[] {
    return this.helpers.filter((h) => {
      if (h.screening !== undefined && Atomics.load(h.finished, 0) === h.screening) this.answered(h, h.screening, { type: 'screened', id: h.screening });
      return !h.stopped && !h.reading && h.asked.size === 0;
    });
  }

  private answered(helper: Helper, id: number, message: FromHelper): void {
    const resolve = helper.asked.get(id);
    helper.asked.delete(id);
    if (helper.screening === id) helper.screening = undefined;
    resolve?.(message);
  }

  /** Sends a request to a helper; `answer` is told its answer, or undefined once the thread has stopped. */
  private ask(helper: Helper, request: Extract<ToHelper, { id: number }>, answer: (message: FromHelper | undefined) => void): void {
    helper.asked.set(request.id, answer);
    helper.worker.postMessage(request satisfies ToHelper);
  }

  idle(): number {
    return this.free().length;
  }

  share(alg: string, input: Uint8Array, signature: Uint8Array, board: SharedArrayBuffer): Promise<void> {
    const asked = this.free().map((helper) => {
      const id = this.nextId++;
      helper.screening = id;
      return new Promise<void>((resolve) => this.ask(helper, { type: 'screen', id, alg, input, signature, board, finished: helper.finished.buffer as SharedArrayBuffer }, () => resolve()));
    });
    return Promise.all(asked).then(() => undefined);
  }

  /** Source files waiting for a helper to run their code checks, in the order they were met, and their text. */
  private readonly codeJobs: CodeJob[] = [];
  private codeBytes = 0;

  analyseCode(path: string, text: string, language: CodeLanguage): Promise<CodeAnalysis | undefined> {
    return new Promise((resolve) => {
      this.codeJobs.push({ path, text, language, resolve });
      this.codeBytes += text.length;
      this.handOutCode();
    });
  }

  /**
   * The main thread runs a waiting job only when there is more waiting than the helpers,
   * whose parsers are warm, get through in about the time the main thread's parser takes
   * to start (tens of milliseconds for the runtime and a grammar).
   */
  takeCodeJob(): CodeJob | undefined {
    if (this.codeBytes < CODE_BYTES_FOR_MAIN) return undefined;
    const job = this.codeJobs.pop();
    if (job) this.codeBytes -= job.text.length;
    return job;
  }

  /**
   * Gives the waiting code checks to the helpers that are not screening, the first first, a
   * few to each so that none waits for the main thread between two: a helper still reading
   * runs them as soon as it is done. With no helper left alive, each job is answered
   * undefined: the main thread runs it.
   */
  private handOutCode(): void {
    if (this.codeJobs.length === 0) return;
    if (this.helpers.every((h) => h.stopped)) {
      for (const job of this.codeJobs.splice(0)) job.resolve(undefined);
      this.codeBytes = 0;
      return;
    }
    for (const helper of this.helpers) {
      while (!helper.stopped && helper.asked.size === helper.coding && helper.coding < CODE_JOBS_PER_HELPER) {
        const job = this.codeJobs.shift();
        if (!job) return;
        this.codeBytes -= job.text.length;
        helper.coding++;
        this.ask(helper, { type: 'code', id: this.nextId++, path: job.path, language: job.language.id, text: job.text }, (answer) => {
          helper.coding = Math.max(0, helper.coding - 1);
          job.resolve(answer?.type === 'coded' ? answer.analysis : undefined);
        });
      }
    }
  }

  async scan(files: FileEntry[], context: FilesContext): Promise<FilesOutcome> {
    const out = empty();
    const maxFileSize = context.policy.files.maxFileSize;
    const live = this.helpers.filter((h) => !h.stopped);
    const work: ReadWork = { ...packFiles(files), next: new SharedArrayBuffer(4), threads: live.length + 1, maxFileSize };
    const next = new Int32Array(work.next);
    const covered = new Uint8Array(files.length);
    const pending: Array<{ index: number; hit: Hit }> = [];
    let wake: (() => void) | undefined;
    for (const helper of live) {
      helper.reading = true;
      helper.onMessage = (message) => {
        if (message.type === 'looked') {
          addCounts(out, message.looked);
          covered.fill(1, message.looked.start, message.looked.end);
          append(pending, message.looked.hits);
        } else {
          helper.reading = false; // done, or failed (its unreported runs are read again below)
        }
        wake?.();
      };
      helper.onStop = () => wake?.();
      helper.worker.postMessage({ type: 'read', work } satisfies ToHelper);
    }
    const analyst = new Analyst(context, new FileReader(maxFileSize), out, this);
    // Hits are analysed in the order of the file list, each once every file before it has
    // had its first look: the analysis budget and the memo then fall on the same files
    // whichever thread read what, so findings never depend on the thread count or timing.
    let frontier = 0;
    const analyseReady = async (all = false) => {
      while (frontier < files.length && covered[frontier] === 1) frontier++;
      pending.sort((a, b) => a.index - b.index);
      let turn = performance.now();
      while (pending.length > 0 && (all || pending[0]!.index < frontier)) {
        const { index, hit } = pending.shift()!;
        await analyst.analyse(files[index]!, hit);
        // Now and then, the helpers' messages (a helper waits for its next code checks).
        if (performance.now() - turn > TURN_MS) {
          await nextTurn();
          pending.sort((a, b) => a.index - b.index);
          turn = performance.now();
        }
      }
    };
    const lookHere = (start: number, end: number) => {
      const looked = analyst.look(files, start, end);
      append(pending, looked.hits);
      covered.fill(1, start, end);
    };
    for (let run = claim(next, files.length, work.threads); run; run = claim(next, files.length, work.threads)) {
      lookHere(run.start, run.end);
      await analyseReady();
      await nextTurn(); // let the workers' messages in
    }
    const stillReading = () => live.some((h) => h.reading);
    while (stillReading()) {
      const before = pending.length;
      await analyseReady();
      if (pending.length === before && stillReading()) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    // Runs a thread claimed but never reported (it stopped): read them here.
    for (let start = covered.indexOf(0); start !== -1; start = covered.indexOf(0, start)) {
      let end = start;
      while (end < files.length && covered[end] === 0) end++;
      lookHere(start, end);
    }
    await analyseReady(true);
    await analyst.settle();
    return out;
  }

  /** Stops every worker (also when the tree turned out too small to share, or the scan failed). */
  async close(): Promise<void> {
    for (const helper of this.helpers) {
      helper.onMessage = undefined;
      helper.onStop = undefined;
    }
    await Promise.all(this.helpers.map((h) => h.worker.terminate()));
  }
}

/** Code checks sent to one helper at a time. */
const CODE_JOBS_PER_HELPER = 8;

/** Waiting source text past which the main thread runs code checks too (a warm parser reads ~1.3 MB/s on the benchmark machine). */
const CODE_BYTES_FOR_MAIN = 128 << 10;

/** Distinct tokens screened on the main thread alone before helpers are started just to screen (~4 ms each). */
const SCREENINGS_BEFORE_HELPERS = 32;

/**
 * The scan's helpers for weak-secret screening, on demand: while no pool runs, the first
 * tokens are screened on the main thread alone (a scan with a few is over before a thread
 * would have booted and stopped), and the next one starts the pool. A pool started to read
 * the tree screens from the first token.
 */
export class HelpersOnDemand implements ScreenHelpers {
  private asked = 0;

  constructor(private readonly pool: { running(): ThreadPool | undefined; start(): ThreadPool | undefined }) {}

  idle(ahead = false): number {
    const pool = this.pool.running() ?? (!ahead && ++this.asked > SCREENINGS_BEFORE_HELPERS ? this.pool.start() : undefined);
    return pool?.idle() ?? 0;
  }

  share(alg: string, input: Uint8Array, signature: Uint8Array, board: SharedArrayBuffer): Promise<void> {
    return this.pool.running()?.share(alg, input, signature, board) ?? Promise.resolve();
  }
}

/** Helper threads to start besides the main one: JWT_GUARD_THREADS - 1 when set, else one per other core. */
export function poolSize(forced?: number): number {
  return Math.max(0, (forced && forced > 0 ? forced : availableParallelism()) - 1);
}
