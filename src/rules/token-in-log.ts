import { es256 } from './example-material.js';
import { placementReport, UNUSABLE_MESSAGE } from './placement.js';
import type { Rule } from './types.js';

export const tokenInLog: Rule = {
  meta: {
    id: 'token-in-log',
    description: 'A JWT or JWE in a log file (files.logs globs) or a CI job log.',
    defaultSeverity: 'error',
    securitySeverity: 8.0,
    help: [
      'Tokens must never be written to logs: logs are copied, shipped and kept, and anyone who can read them can replay the token until it expires.',
      '',
      '**What to do:** log the claims you need (`jti`, `sub`, `exp`), never the token; revoke the token that leaked; in CI, register secrets with `::add-mask::` before anything prints them.',
    ].join('\n'),
    placement: true,
    messages: {
      unusable: UNUSABLE_MESSAGE,
      log: '{token} is written to a log{expiry}. Log the claims you need, never the token, and revoke this one.',
      jobLog: '{token} is written to a CI job log{expiry}. Log the claims you need, never the token, and revoke this one.',
    },
  },
  check({ facts, unit, severity, now }) {
    if (facts.kind !== 'token' || (unit.kind !== 'log' && unit.kind !== 'job-log')) return [];
    return [placementReport(facts, severity, now, unit.kind === 'job-log' ? 'jobLog' : 'log')];
  },
  examples: {
    valid: [{ name: 'a token in a source file is committed-token, not this', text: () => es256() }],
    invalid: [
      { name: 'a bearer token in a log line', text: async () => `2026-12-01T10:00:00Z GET /api Authorization: Bearer ${await es256()}`, kind: 'log', messageId: 'log' },
      { name: 'a token in a CI job log', text: () => es256(), kind: 'job-log', messageId: 'jobLog' },
    ],
  },
};
