import { fingerprint } from '../fingerprint.js';
import type { Policy } from '../policy/types.js';
import type { Finding, SkippedFile, SkipReason, UnitKind } from '../types.js';
import { ecKey, jwk } from './example-material.js';
import { formatMessage, type Rule } from './types.js';

/**
 * Content the scan could not read or analyse completely. It has no check over artifacts:
 * sources, detectors, analysers and budgets report their gaps (`SkippedFile` records with
 * an incomplete reason), and `incompleteFinding` turns each into a finding, so that a
 * gate never passes over what it did not read.
 */
export const incompleteScan: Rule = {
  meta: {
    id: 'incomplete-scan',
    description: 'Content that could not be read or analysed completely (I/O error, permission, size over files.maxFileSize, analysis budget, search window, broken download): what, where and why.',
    defaultSeverity: 'error',
    securitySeverity: 7.0,
    help: [
      'jwt-guard is a gate: a secret in a file it could not read, or in the part of a file it could not search, would pass unseen. So whatever was not read or analysed completely is reported, with what was left out and why, and fails the build like any other error.',
      '',
      'Files passed over on purpose are not findings: binary files (recognised by content), files the policy excludes, links that lead out of the scanned tree.',
      '',
      '**What to do:** make the file readable to the scan (permissions, a broken download: run again), raise or remove `files.maxFileSize`, or split a file so dense with keys and tokens that it exhausts the analysis budget. To accept a gap, add an `ignore` entry for the path with a reason; a baseline never accepts one, because what was not read may change unseen.',
    ].join('\n'),
    messages: {
      gap: 'Scan incomplete ({reason}): {detail}. {advice}',
      gapFromLine: 'Scan incomplete from line {line} ({reason}): {detail}. {advice}',
    },
  },
  examples: {
    valid: [{ name: 'a JWK of ordinary size', text: () => JSON.stringify(jwk(ecKey())) }],
    invalid: [
      {
        name: 'a private JWK padded past the search window',
        text: () => {
          const key = jwk(ecKey());
          return JSON.stringify({ kty: key.kty, pad: 'x'.repeat(70_000), crv: key.crv, x: key.x, y: key.y, d: key.d });
        },
        messageId: 'gapFromLine',
      },
      { name: 'a text with too many unbalanced objects around kty', text: () => `${'{"kty":'.repeat(100_000)}1`, messageId: 'gapFromLine' },
    ],
  },
};

const ADVICE: Partial<Record<SkipReason, string>> = {
  unreadable: 'Make it readable to the scan, or exclude it in files.exclude with a reason.',
  'too-large': 'Raise or remove files.maxFileSize (text files stream, so no cap is needed), or exclude the file with a reason.',
  'partly-scanned': 'A secret in the part not searched would pass unseen: restructure the content, or accept the path with an ignore entry and a reason.',
  'analysis-failed': 'This is a bug in jwt-guard: please report it (JWT_GUARD_DEBUG=1 shows more). The rest of the file was scanned.',
  budget: 'The file is dense enough to exhaust the analysis budget: split it, or accept the path with an ignore entry and a reason.',
  'download-failed': 'Run the scan again; if it keeps failing, check the GitHub API status and the token\'s permissions.',
};

/** The incomplete-scan finding for one gap, at the rule's severity in the policy; undefined when the rule is off. */
export function incompleteFinding(policy: Policy, gap: SkippedFile & { unitKind: UnitKind }): Finding | undefined {
  const setting = policy.rules[incompleteScan.meta.id];
  const severity = setting?.severity ?? incompleteScan.meta.defaultSeverity;
  if (severity === 'off') return undefined;
  const line = gap.line ?? 1;
  const column = gap.column ?? 1;
  const data = { line, reason: gap.reason, detail: gap.detail ?? 'no detail', advice: ADVICE[gap.reason] ?? '' };
  const messageId = gap.line === undefined ? 'gap' : 'gapFromLine';
  return {
    ruleId: incompleteScan.meta.id,
    severity,
    file: gap.file,
    line,
    column,
    endLine: line,
    endColumn: column + 1,
    message: formatMessage(incompleteScan.meta, { messageId, data }).trimEnd(),
    messageId,
    fingerprint: fingerprint(incompleteScan.meta.id, gap.file, `${gap.reason}\0${gap.subject ?? ''}`),
    unitKind: gap.unitKind,
    artifact: { type: gap.subject ?? 'content', reason: gap.reason },
  };
}
