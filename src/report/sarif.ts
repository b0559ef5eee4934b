import { RULES } from '../rules/index.js';
import type { Finding, ScanResult, Severity, SuppressedFinding } from '../types.js';
import { REPOSITORY_URL, ruleHelpUri, VERSION } from '../version.js';
import { describeCommit } from './commit.js';
import { jsonPieces } from './json-stream.js';
import { safeJson } from './safe.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', note: 'note' };

const pascal = (id: string) => id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

/** Repository-relative URI: each path segment percent-encoded. */
export function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * How code scanning is told a result was accepted: `inSource` for an inline directive,
 * `external` for the policy's ignore list and the baseline, with the reason given as the
 * justification.
 */
function suppression(finding: SuppressedFinding) {
  return { kind: finding.suppressedBy === 'inline' ? 'inSource' : 'external', status: 'accepted', ...(finding.reason ? { justification: finding.reason } : {}), properties: { by: finding.suppressedBy } };
}

/**
 * Where a result is: a file of the repository, or, for a token handed to `check` (an
 * input, not a file), a logical location named after the input that carried it, so
 * that no result points at a file that does not exist.
 */
function location(finding: Finding, region: Record<string, number>) {
  if (finding.unitKind === 'input') {
    const input = finding.file.replace(/^<|>$/g, ''); // `<token 2>`: the second token given
    return { logicalLocations: [{ name: input, fullyQualifiedName: `check:${input}`, kind: 'value' }] };
  }
  return { physicalLocation: { artifactLocation: { uri: fileUri(finding.file), uriBaseId: '%SRCROOT%' }, region } };
}

function result(finding: Finding | SuppressedFinding, ruleIndex: number) {
  const region: Record<string, number> = { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine };
  if (finding.endLine === finding.line) region.endColumn = finding.endColumn;
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    // A finding from history names its commit in the message too: code scanning shows the message, not the properties.
    message: { text: finding.commit ? `${finding.message} (${describeCommit(finding.commit, finding.file)})` : finding.message },
    locations: [location(finding, region)],
    partialFingerprints: { 'jwtGuard/v1': finding.fingerprint },
    properties: { artifact: finding.artifact, ...(finding.commit ? { commit: finding.commit } : {}) },
    ...('suppressedBy' in finding ? { suppressions: [suppression(finding)] } : {}),
  };
}

type SarifInput = Pick<ScanResult, 'findings'> & Partial<Pick<ScanResult, 'suppressed'>>;

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: every rule with help and
 * security-severity; findings accepted inline, by the policy or by the baseline are
 * results with `suppressions`, as code scanning expects, rather than left out.
 */
export function renderSarif(scan: SarifInput): string {
  return [...sarifPieces(scan)].join('');
}

/** The SARIF log in pieces (see jsonPieces): one per result. */
export function* sarifPieces(scan: SarifInput): Generator<string> {
  const index = new Map(RULES.map((rule, i) => [rule.meta.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'jwt-guard',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: REPOSITORY_URL,
            rules: RULES.map(({ meta }) => ({
              id: meta.id,
              name: pascal(meta.id),
              shortDescription: { text: meta.description },
              fullDescription: { text: meta.description },
              helpUri: ruleHelpUri(meta.id),
              help: { text: meta.help.replace(/\*\*|`/g, ''), markdown: meta.help },
              defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
              properties: { tags: ['security', 'jwt'], precision: 'high', 'security-severity': meta.securitySeverity.toFixed(1) },
            })),
          },
        },
        automationDetails: { id: 'jwt-guard/' },
        columnKind: 'utf16CodeUnits',
        results: [...scan.findings, ...(scan.suppressed ?? [])].map((f) => result(f, index.get(f.ruleId) ?? -1)),
      },
    ],
  };
  for (const piece of jsonPieces(log, 4)) yield safeJson(piece);
  yield '\n';
}
