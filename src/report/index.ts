import type { CheckedToken } from '../check/check.js';
import { checkResults, renderCheckText } from '../check/run.js';
import type { ScanOutcome } from '../pipeline/run-scan.js';
import type { Format } from '../pipeline/settings.js';
import type { Policy } from '../policy/types.js';
import { jsonReportPieces } from './json.js';
import { safeJson } from './safe.js';
import { sarifPieces } from './sarif.js';
import { renderText, type TextOptions } from './text.js';

export type ReportOptions = TextOptions;

/**
 * One reporter per format, behind one interface: how a scan's outcome and a check's
 * verdicts are written, in pieces (a large report is never held whole). Adding a format:
 * one module that renders it, and an entry here.
 */
export interface Reporter {
  scan(outcome: ScanOutcome, options: ReportOptions): Iterable<string>;
  check(checked: CheckedToken[], policy: Policy): Iterable<string>;
}

const checkSummary = (checked: CheckedToken[]) => {
  const invalid = checked.filter((c) => !c.valid).length;
  return { tokens: checked.length, valid: checked.length - invalid, invalid };
};

export const REPORTERS: Record<Format, Reporter> = {
  text: {
    scan: (outcome, options) => [renderText(outcome.result, outcome.summary, options)],
    check: (checked) => [renderCheckText(checked)],
  },
  json: {
    scan: (outcome) => jsonReportPieces(outcome.result, outcome.summary, outcome.policy.source),
    check: (checked, policy) => [`${safeJson(JSON.stringify({ version: 1, policy: policy.source, results: checkResults(checked), summary: checkSummary(checked) }, null, 2))}\n`],
  },
  sarif: {
    scan: (outcome) => sarifPieces(outcome.result),
    check: (checked) => sarifPieces({ findings: checked.flatMap((c) => (c.failure ? [c.failure] : [])) }),
  },
};

export function renderReport(format: Format, outcome: ScanOutcome, options: ReportOptions): string {
  return [...REPORTERS[format].scan(outcome, options)].join('');
}

/** The report in pieces, so that a large one is written without being held whole (JSON and SARIF come one finding a piece). */
export function reportPieces(format: Format, outcome: ScanOutcome, options: ReportOptions): Iterable<string> {
  return REPORTERS[format].scan(outcome, options);
}

/** The lines of text that arrives in pieces, each without its line break. */
export function* linesOf(pieces: Iterable<string>): Generator<string> {
  let carry = '';
  for (const piece of pieces) {
    const parts = (carry + piece).split('\n');
    carry = parts.pop()!;
    yield* parts;
  }
  if (carry) yield carry;
}
