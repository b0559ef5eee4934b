import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { TrustedKeys } from './analyze/trusted.js';
import { scanUnit } from './engine.js';
import type { Policy } from './policy/types.js';
import { fileMatchers, type FileEntry } from './sources/files.js';
import { FileReader } from './sources/read.js';
import type { ScanResult } from './types.js';

export interface FilesContext {
  policy: Policy;
  trusted?: TrustedKeys;
  now?: number;
}

/** What scanning a set of files yields: a scan result without its duration. */
export type FilesOutcome = Omit<ScanResult, 'durationMs'>;

export const empty = (): FilesOutcome => ({ findings: [], suppressed: [], skipped: [], filesScanned: 0, bytesScanned: 0, binaryFiles: 0 });

/** Files per batch handed to a thread: small enough to balance, large enough that messages cost nothing. */
const BATCH = 256;
/** Below this many files, a second thread costs more to start than it saves. */
const MIN_FILES_PER_EXTRA_THREAD = 2000;

/** Whether sharing `files` among threads pays: always when the thread count is forced. */
export function worthSharing(files: number, forced?: number): boolean {
  return Boolean(forced && forced > 1) || files >= MIN_FILES_PER_EXTRA_THREAD;
}

/**
 * Scans files in order through one reader: the first look is synchronous and cheap, and
 * only the few files whose anchors fit a detector's shape are decoded and analysed.
 */
export async function scanFiles(files: FileEntry[], context: FilesContext, reader = new FileReader(context.policy.files.maxFileSize)): Promise<FilesOutcome> {
  const out = empty();
  let isLog: ((relative: string) => boolean) | undefined;
  const unitContext = { ...(context.trusted ? { trusted: context.trusted } : {}), ...(context.now !== undefined ? { now: context.now } : {}) };
  for (const entry of files) {
    const look = reader.look(entry);
    if (look.kind === 'clean') {
      out.filesScanned++;
      out.bytesScanned += look.bytes;
      continue;
    }
    if (look.kind === 'binary') {
      out.binaryFiles++;
      continue;
    }
    if (look.kind === 'skipped') {
      out.skipped.push(look.skipped);
      continue;
    }
    isLog ??= fileMatchers(context.policy).isLog;
    const kind = isLog(entry.relative) ? 'log' : 'file';
    const outcome = await reader.read(entry, look, async (chunk) => {
      const result = await scanUnit({ path: entry.relative, kind, text: chunk.text }, context.policy, { ...unitContext, chunk });
      out.findings.push(...result.findings);
      out.suppressed.push(...result.suppressed);
      if (result.incomplete) out.skipped.push({ file: entry.relative, reason: 'partly-scanned', detail: result.incomplete });
    });
    if (outcome.kind === 'skipped') out.skipped.push(outcome.skipped);
    else {
      out.filesScanned++;
      out.bytesScanned += outcome.bytes;
      if (outcome.partly) out.skipped.push({ file: entry.relative, reason: 'partly-scanned', detail: outcome.partly });
    }
  }
  return out;
}

/** Adds one part's outcome into a running total. */
export function add(total: FilesOutcome, part: FilesOutcome): void {
  total.findings.push(...part.findings);
  total.suppressed.push(...part.suppressed);
  total.skipped.push(...part.skipped);
  total.filesScanned += part.filesScanned;
  total.bytesScanned += part.bytesScanned;
  total.binaryFiles += part.binaryFiles;
}

type ToWorker = { type: 'batch'; files: FileEntry[] } | { type: 'done' };
type FromWorker = { type: 'next' } | { type: 'result'; outcome: FilesOutcome } | { type: 'error'; message: string };

const WORKER_FLAG = 'jwtGuardScanWorker';

/**
 * Worker threads, started before the file list is known so that they boot while the
 * tree is listed. `run` has the main thread and the workers pull batches of files from
 * one queue until it is empty; the merged outcome is sorted by the caller, so it is the
 * same as a single-threaded scan. `entry` is the bundle that re-enters as a worker.
 */
export class WorkerPool {
  private readonly workers: Worker[];
  private readonly ready: Array<Promise<void>>;
  private readonly requests: Array<(worker: Worker) => void> = [];

  constructor(entry: URL, context: FilesContext, size: number) {
    this.workers = Array.from({ length: size }, () => new Worker(entry, { workerData: { [WORKER_FLAG]: true, context } }));
    this.ready = this.workers.map((worker) => new Promise<void>((resolve) => worker.once('message', () => resolve())));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Scans `files` with the workers and the main thread. */
  async run(files: FileEntry[], context: FilesContext): Promise<FilesOutcome> {
    const total = empty();
    let next = 0;
    const take = () => {
      const batch = files.slice(next, next + BATCH);
      next += batch.length;
      return batch;
    };
    const finished = this.workers.map(
      (worker, index) =>
        new Promise<void>((resolve, reject) => {
          const send = () => {
            const batch = take();
            worker.postMessage((batch.length > 0 ? { type: 'batch', files: batch } : { type: 'done' }) satisfies ToWorker);
            if (batch.length === 0) resolve();
          };
          worker.on('message', (message: FromWorker) => {
            if (message.type === 'result') {
              add(total, message.outcome);
              send();
            } else if (message.type === 'error') reject(new Error(`scan worker: ${message.message}`));
          });
          worker.on('error', reject);
          // The worker's first message ('next') was taken by `ready`: start it once it is up.
          void this.ready[index]!.then(send);
        }),
    );
    // The main thread works too, yielding between batches so the workers' requests are served.
    const reader = new FileReader(context.policy.files.maxFileSize);
    for (let batch = take(); batch.length > 0; batch = take()) {
      add(total, await scanFiles(batch, context, reader));
      await new Promise((resolve) => setImmediate(resolve));
    }
    try {
      await Promise.all(finished);
    } finally {
      await this.close();
    }
    return total;
  }

  /** Stops every worker (also when the tree turned out too small to share). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Threads to start for a scan: JWT_GUARD_THREADS when set, else one per core. */
export function poolSize(forced?: number): number {
  return Math.max(0, (forced && forced > 0 ? forced : availableParallelism()) - 1);
}

/** True in a thread started by scanInParallel. */
export function isScanWorker(): boolean {
  return !isMainThread && Boolean((workerData as Record<string, unknown> | null)?.[WORKER_FLAG]);
}

/** The worker's loop: ask for a batch, scan it, send the outcome, until told it is done. */
export async function runScanWorker(): Promise<void> {
  const port = parentPort!;
  const { context } = workerData as { context: FilesContext };
  const reader = new FileReader(context.policy.files.maxFileSize);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'done') {
      port.close();
      return;
    }
    scanFiles(message.files, context, reader).then(
      (outcome) => port.postMessage({ type: 'result', outcome } satisfies FromWorker),
      (error: unknown) => port.postMessage({ type: 'error', message: (error as Error)?.message ?? String(error) } satisfies FromWorker),
    );
  });
  port.postMessage({ type: 'next' } satisfies FromWorker);
}
