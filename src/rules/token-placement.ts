import { describeToken } from '../analyze/describe.js';
import { formatDuration } from '../policy/duration.js';
import type { TokenFacts, UnitKind } from '../types.js';
import { lower } from './severity.js';
import type { Rule, RuleContext, RuleMeta, RuleReport } from './types.js';

/** "; it expired 3 d ago (exp …)", or '' for a token still valid (or without exp). */
function expiry(facts: TokenFacts, now: number): { expired: boolean; note: string } {
  const exp = facts.claims?.exp;
  if (typeof exp !== 'number' || exp > now) return { expired: false, note: '' };
  return { expired: true, note: `; it expired ${formatDuration(now - exp)} ago, which makes it less urgent but shows where live tokens get pasted` };
}

/** A rule about where a token sits: the same expiry handling (one level lower once expired) for all three. */
function placementRule(meta: RuleMeta, applies: (context: RuleContext) => boolean, say: (token: string, context: RuleContext) => string): Rule {
  return {
    meta,
    check(context): RuleReport[] {
      const { facts, severity, now } = context;
      if (facts.kind !== 'token' || !applies(context)) return [];
      const { expired, note } = expiry(facts, now);
      return [{ message: say(describeToken(facts), context).replace('{expiry}', note), severity: expired ? lower(severity) : severity }];
    },
  };
}

const LOG_KINDS: ReadonlySet<UnitKind> = new Set(['log', 'job-log']);

export const committedToken = placementRule(
  {
    id: 'committed-token',
    description: 'A real JWT or JWE (its header decodes and names alg) in a file that is not a log.',
    defaultSeverity: 'error',
    securitySeverity: 8.0,
    help: [
      'A signed JWT is a postcard: anyone holding it can read it and, until it expires, use it. A token committed to a repository is held by everyone who can read the repository, its forks and its history.',
      '',
      '**What to do:** revoke the token (or rotate the key that signed it), remove it, and have code obtain tokens at run time. Expired tokens are still reported, one severity lower: they show where live ones get pasted next.',
    ].join('\n'),
  },
  ({ unit }) => unit.kind === 'file',
  (token) => `${token} is committed to the repository{expiry}. Anyone who can read the repository can use it until it expires: revoke it, remove it, and obtain tokens at run time.`,
);

export const tokenInLog = placementRule(
  {
    id: 'token-in-log',
    description: 'A JWT or JWE in a log file (files.logs globs) or a CI job log.',
    defaultSeverity: 'error',
    securitySeverity: 8.0,
    help: [
      'Tokens must never be written to logs: logs are copied, shipped and kept, and anyone who can read them can replay the token until it expires.',
      '',
      '**What to do:** log the claims you need (`jti`, `sub`, `exp`), never the token; revoke the token that leaked; in CI, register secrets with `::add-mask::` before anything prints them.',
    ].join('\n'),
  },
  ({ unit }) => LOG_KINDS.has(unit.kind),
  (token, { unit }) => `${token} is written to ${unit.kind === 'job-log' ? 'a CI job log' : 'a log'}{expiry}. Log the claims you need, never the token, and revoke this one.`,
);

export const tokenInUrl = placementRule(
  {
    id: 'token-in-url',
    description: 'A JWT in a URL query or fragment parameter (?token=, access_token=, id_token=, ...).',
    defaultSeverity: 'error',
    securitySeverity: 7.0,
    help: [
      'Tokens in URLs end up in proxy and server logs, browser history, bookmarks and Referer headers (RFC 6750 5.3; OAuth 2.0 Security BCP).',
      '',
      '**What to do:** send tokens in the `Authorization: Bearer` header or a POST body, and revoke any token that travelled in a URL.',
    ].join('\n'),
  },
  ({ artifact, unit }) => artifact.urlParameter !== undefined && unit.kind !== 'input',
  (token, { artifact }) => `${token} travels in the URL parameter '${artifact.urlParameter}'{expiry}: URLs end up in logs, history and Referer headers. Send tokens in the Authorization header or a POST body.`,
);
