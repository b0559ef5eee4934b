import type { SkippedFile, UnitKind } from '../types.js';
import type { ScreenHelpers } from '../rules/weak-secret.js';

/**
 * The expensive kinds of analysis, and what each costs, in microseconds of CPU as measured
 * on the benchmark machine (2-core EPYC, Node 20): screening one HS* token against the
 * bundled well-known secrets (~1,200 HMACs), reading one key with node:crypto (and its
 * thumbprint), one symmetric JWK that could be guessed, whose fingerprint digest is a
 * PBKDF2 (a random one costs a hash and is not budgeted), and one key store,
 * tried with every well-known password (a Java-made PKCS#12 asks for 10,000 iterations of
 * forge's JavaScript KDF per password).
 *
 * Budgets are counted in these estimates, not in measured time, so that the same tree
 * yields the same findings on every machine and every run: a gate must not be flaky.
 */
export const COSTS = { 'weak-secret': 2_500, key: 1_000, 'symmetric-key': 2_500, 'key-store': 200_000 } as const;

export type WorkKind = keyof typeof COSTS;

/** Estimated microseconds of expensive analysis one file, and one whole scan, may spend. */
export interface BudgetLimits {
  perFile: number;
  perScan: number;
}

export const DEFAULT_LIMITS: BudgetLimits = { perFile: 2_000_000, perScan: 40_000_000 };

const WHAT: Record<WorkKind, (n: number) => string> = {
  'weak-secret': (n) => `${n} HS* token${n === 1 ? ' was' : 's were'} not screened for well-known secrets (weak-secret); ${n === 1 ? 'it is' : 'they are'} still reported by every other rule`,
  key: (n) => `${n} key${n === 1 ? ' was' : 's were'} not analysed (their type, size and identity are unknown); private-key labels among them are still reported, unconfirmed`,
  'symmetric-key': (n) => `${n} symmetric JWK${n === 1 ? ' with a guessable secret was' : 's with guessable secrets were'} not analysed`,
  'key-store': (n) => `${n} key store${n === 1 ? ' was' : 's were'} not opened with the well-known passwords; ${n === 1 ? 'it is' : 'they are'} still reported, as private keys of unknown type`,
};

/**
 * The analysis budget of a whole scan, and the memo of analyses already done: an
 * artifact or token that occurs many times (the same fixture in a hundred files) is
 * analysed once.
 */
export class ScanBudget {
  private spent = 0;
  /** Results of expensive analysis, by a digest of what was analysed. */
  private readonly memo = new Map<string, unknown>();

  /**
   * The scan's helper threads, when it has them: expensive work that splits (the
   * weak-secret screening) is shared with them. They change how fast, never what.
   */
  helpers?: ScreenHelpers;

  constructor(readonly limits: BudgetLimits = DEFAULT_LIMITS) {}

  /** The budget of one file (or log, or job log) within this scan. */
  file(path: string, unitKind: UnitKind): FileBudget {
    return new FileBudget(this, path, unitKind);
  }

  /** Spends `cost` from the scan's budget if it has room (with `fileSpent` the file's own spending so far). */
  spend(cost: number, fileSpent: number): boolean {
    if (fileSpent + cost > this.limits.perFile || this.spent + cost > this.limits.perScan) return false;
    this.spent += cost;
    return true;
  }

  /** The memoised result for `key`, computing it once. A computation that throws is not memoised. */
  async once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = await compute();
    this.memo.set(key, value);
    return value;
  }

  has(key: string): boolean {
    return this.memo.has(key);
  }

  /** Whether the scan's budget has room for `cost` more (with `fileSpent` the file's own spending so far), spending nothing. */
  affords(cost: number, fileSpent: number): boolean {
    return fileSpent + cost <= this.limits.perFile && this.spent + cost <= this.limits.perScan;
  }
}

/** One file's share of the scan budget, and what it could not afford. */
export class FileBudget {
  private spent = 0;
  private readonly missed = new Map<WorkKind, number>();

  constructor(
    readonly scan: ScanBudget,
    readonly path: string,
    readonly unitKind: UnitKind,
  ) {}

  /** Whether one piece of `kind` work may be done; when not, it is counted as missed. */
  take(kind: WorkKind): boolean {
    const cost = COSTS[kind];
    if (this.scan.spend(cost, this.spent)) {
      this.spent += cost;
      return true;
    }
    this.missed.set(kind, (this.missed.get(kind) ?? 0) + 1);
    return false;
  }

  /** Whether one piece of `kind` work would be allowed now (nothing is spent or counted). */
  affords(kind: WorkKind): boolean {
    return this.scan.affords(COSTS[kind], this.spent);
  }

  /** Does `compute` once per scan for `key` if the budget allows `kind` work; `fallback` when it does not. */
  async once<T>(kind: WorkKind, key: string, compute: () => Promise<T>, fallback: () => T): Promise<T> {
    if (this.scan.has(key)) return this.scan.once(key, compute);
    if (!this.take(kind)) return fallback();
    return this.scan.once(key, compute);
  }

  /** One gap per kind of work this file could not afford (incomplete-scan findings to be). */
  gaps(): SkippedFile[] {
    const { perFile, perScan } = this.scan.limits;
    const limits = `the analysis budget (${perFile / 1e6} s of estimated work per file, ${perScan / 1e6} s per scan) was spent`;
    return [...this.missed].map(([kind, count]) => ({ file: this.path, reason: 'budget', detail: `${WHAT[kind](count)}: ${limits}`, unitKind: this.unitKind }));
  }
}
