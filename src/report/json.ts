import type { Finding, ScanResult } from '../types.js';
import type { Summary } from './summary.js';
import { VERSION } from '../version.js';

const publicFinding = ({ unitKind: _unitKind, ...finding }: Finding) => finding;

/** `--format json`: the stable machine contract (version 1). */
export function renderJson(result: ScanResult, summary: Summary, policySource: string): string {
  const document = {
    version: 1,
    tool: { name: 'jwt-guard', version: VERSION },
    policy: policySource,
    findings: result.findings.map(publicFinding),
    suppressed: result.suppressed.map(({ unitKind: _u, ...s }) => s),
    skipped: result.skipped,
    summary,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
