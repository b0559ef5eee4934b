import type { Finding, ScanResult } from '../types.js';
import type { Summary } from './summary.js';
import { VERSION } from '../version.js';
import { jsonPieces } from './json-stream.js';
import { safeJson } from './safe.js';

/** A finding as the JSON contract (version 1) has it: without the unit kind and message id, which are internal. */
const publicFinding = ({ unitKind: _unitKind, messageId: _messageId, digest: _digest, subject: _subject, fixture: _fixture, ...finding }: Finding) => finding;

/** `--format json`: the stable machine contract (version 1). */
export function renderJson(result: ScanResult, summary: Summary, policySource: string): string {
  return [...jsonReportPieces(result, summary, policySource)].join('');
}

/** The JSON report in pieces (see jsonPieces), for writing a large report without holding it whole. */
export function* jsonReportPieces(result: ScanResult, summary: Summary, policySource: string): Generator<string> {
  const document = {
    version: 1,
    tool: { name: 'jwt-guard', version: VERSION },
    policy: policySource,
    findings: result.findings.map(publicFinding),
    suppressed: result.suppressed.map(({ unitKind: _u, messageId: _m, digest: _d, subject: _s, fixture: _f, ...s }) => s),
    skipped: result.skipped,
    summary,
  };
  for (const piece of jsonPieces(document, 2)) yield safeJson(piece);
  yield '\n';
}
