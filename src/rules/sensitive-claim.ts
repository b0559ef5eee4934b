import { describeToken } from '../analyze/describe.js';
import type { Policy } from '../policy/types.js';
import { es256, goodClaims } from './example-material.js';
import type { TokenFacts } from '../types.js';
import { lower } from './severity.js';
import type { Rule } from './types.js';

const normalize = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

/** Each list of names normalized once (the policy's lists live for the run; a token is checked against them for every claim). */
const normalizedLists = new WeakMap<readonly string[], readonly string[]>();

/** Claim names matching a list entry exactly or as a suffix, after normalization (`DB_Password` matches `password`). */
function matching(claims: Record<string, unknown>, list: readonly string[], filled: (value: unknown) => boolean): string[] {
  let entries = normalizedLists.get(list);
  if (!entries) normalizedLists.set(list, (entries = list.map(normalize)));
  const found: string[] = [];
  for (const [name, value] of Object.entries(claims)) {
    if (!filled(value)) continue;
    const normalized = normalize(name);
    if (entries.some((entry) => normalized.endsWith(entry))) found.push(name);
  }
  return found;
}

const hasValue = (value: unknown) => (typeof value === 'string' ? value.length > 0 : value !== null && value !== undefined && typeof value !== 'boolean');

export const sensitiveClaim: Rule = {
  meta: {
    id: 'sensitive-claim',
    description: 'A token carries claims named like secrets (passwords, API keys, private keys, national identifiers) or, unless tokens.allowPersonalData, personal data (one level lower outside access tokens: an ID token carries email and name by design).',
    defaultSeverity: 'warning',
    securitySeverity: 6.0,
    help: [
      'A signed token is not encrypted: anyone holding it can read every claim. Secrets (passwords, API keys, private keys, national identifiers) never belong there, and personal data (email, phone, address) only when the policy allows it. Sequential numeric ids tell readers how many users there are: prefer random ids.',
      '',
      '**What to do:** remove the claims, or carry an opaque reference the server resolves; if personal data is required, set `tokens.allowPersonalData` or encrypt the token (JWE).',
    ].join('\n'),
    messages: {
      sensitive: '{token} carries {problems}. Tokens are readable by whoever holds them: move these out of the token.',
      refusedMint: 'the token carries {problems}. Tokens are readable by whoever holds them: move these out of the token.',
    },
  },
  check({ facts, policy, severity }) {
    if (facts.kind !== 'token' || !facts.claims) return [];
    const problems = sensitiveProblems(facts.claims, policy, accessToken(facts));
    if (problems.length === 0) return [];
    // Secrets, and personal data in an access token, at the rule's severity; the rest (an ID token's standard claims) one level lower.
    const serious = problems.some((problem) => problem.serious);
    return [{ messageId: 'sensitive', data: { token: describeToken(facts), problems: problems.map((problem) => problem.text).join('; ') }, severity: serious ? severity : lower(severity) }];
  },
  mint({ facts, policy }) {
    const problems = sensitiveProblems(facts.claims ?? {}, policy, true);
    return problems.length > 0 ? { messageId: 'refusedMint', data: { problems: problems.map((problem) => problem.text).join('; ') } } : undefined;
  },
  examples: {
    valid: [
      { name: 'a token with registered claims only', text: () => es256() },
      { name: 'an email when tokens.allowPersonalData', text: () => es256(goodClaims({ email: 'user@example.test' })), policy: { tokens: { allowPersonalData: true } } },
      { name: 'a random sub', text: () => es256(goodClaims({ sub: 'u_8f2c91ab' })) },
    ],
    invalid: [
      { name: 'a password claim', text: () => es256(goodClaims({ db_password: 'hunter2' })), messageId: 'sensitive' },
      { name: 'an ID token\'s standard claims, a note', text: () => es256(goodClaims({ nonce: 'n-0S6_WzA2Mj', email: 'user@example.test', email_verified: true, name: 'A User' })), messageId: 'sensitive', severity: 'note' },
      { name: 'personal data in an access token (typ at+jwt)', text: () => es256(goodClaims({ email: 'user@example.test', client_id: 'app' }), { typ: 'at+jwt' }), messageId: 'sensitive', severity: 'warning' },
      { name: 'personal data beside a scope', text: () => es256(goodClaims({ email: 'user@example.test', scope: 'read' })), messageId: 'sensitive', severity: 'warning' },
      { name: 'a national identifier in an ID token, at the rule\'s severity', text: () => es256(goodClaims({ nonce: 'n1', ssn: '078-05-1120' })), messageId: 'sensitive', severity: 'warning' },
      { name: 'a sequential numeric sub, a note', text: () => es256(goodClaims({ sub: '42' })), messageId: 'sensitive', severity: 'note' },
    ],
  },
};

/**
 * Whether a token is an access token, where personal data does not belong: `typ: at+jwt`
 * (RFC 9068), or the claims access tokens carry (`scope`, `scp`, `client_id`) without an
 * ID token's `nonce`. An ID token carries the user's email and name by design (OpenID
 * Connect Core 5.1).
 */
function accessToken(facts: TokenFacts): boolean {
  const typ = typeof facts.header.typ === 'string' ? facts.header.typ.toLowerCase().replace(/^application\//, '') : '';
  if (typ === 'at+jwt') return true;
  const claims = facts.claims ?? {};
  return ('scope' in claims || 'scp' in claims || 'client_id' in claims) && !('nonce' in claims);
}

interface Problem {
  text: string;
  /** Reported at the rule's severity; otherwise one level lower. */
  serious: boolean;
}

/** Every way a claims set carries what a readable token must not. */
function sensitiveProblems(claims: Record<string, unknown>, policy: Policy, inAccessToken: boolean): Problem[] {
  const problems: Problem[] = [];
  const secrets = matching(claims, policy.tokens.secretClaims, hasValue);
  if (secrets.length > 0) problems.push({ text: `claims named like secrets: ${secrets.join(', ')}`, serious: true });
  if (!policy.tokens.allowPersonalData) {
    const personal = matching(claims, policy.tokens.personalClaims, hasValue);
    if (personal.length > 0) {
      const where = inAccessToken ? ', in an access token, which every API it is sent to can read' : '';
      problems.push({ text: `personal data: ${personal.join(', ')}${where} (tokens.allowPersonalData is off)`, serious: inAccessToken });
    }
  }
  const sub = claims.sub;
  if ((typeof sub === 'number' && Number.isInteger(sub)) || (typeof sub === 'string' && /^[0-9]{1,9}$/.test(sub))) {
    problems.push({ text: 'a sequential numeric sub, which tells readers how many users there are', serious: false });
  }
  return problems;
}
