import { describeToken } from '../analyze/describe.js';
import type { Policy } from '../policy/types.js';
import { es256, goodClaims } from './example-material.js';
import type { Rule } from './types.js';

const normalize = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

/** Claim names matching a list entry exactly or as a suffix, after normalization (`DB_Password` matches `password`). */
function matching(claims: Record<string, unknown>, list: readonly string[], filled: (value: unknown) => boolean): string[] {
  const entries = list.map(normalize);
  return Object.entries(claims)
    .filter(([name, value]) => filled(value) && entries.some((entry) => normalize(name) === entry || normalize(name).endsWith(entry)))
    .map(([name]) => name);
}

const hasValue = (value: unknown) => (typeof value === 'string' ? value.length > 0 : value !== null && value !== undefined && typeof value !== 'boolean');

export const sensitiveClaim: Rule = {
  meta: {
    id: 'sensitive-claim',
    description: 'A token carries claims named like secrets (passwords, API keys, private keys, national identifiers) or, unless tokens.allowPersonalData, personal data.',
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
  check({ facts, policy }) {
    if (facts.kind !== 'token' || !facts.claims) return [];
    const problems = sensitiveProblems(facts.claims, policy);
    if (problems.length === 0) return [];
    return [{ messageId: 'sensitive', data: { token: describeToken(facts), problems: problems.join('; ') } }];
  },
  mint({ facts, policy }) {
    const problems = sensitiveProblems(facts.claims ?? {}, policy);
    return problems.length > 0 ? { messageId: 'refusedMint', data: { problems: problems.join('; ') } } : undefined;
  },
  examples: {
    valid: [
      { name: 'a token with registered claims only', text: () => es256() },
      { name: 'an email when tokens.allowPersonalData', text: () => es256(goodClaims({ email: 'user@example.test' })), policy: { tokens: { allowPersonalData: true } } },
      { name: 'a random sub', text: () => es256(goodClaims({ sub: 'u_8f2c91ab' })) },
    ],
    invalid: [
      { name: 'a password claim', text: () => es256(goodClaims({ db_password: 'hunter2' })), messageId: 'sensitive' },
      { name: 'personal data', text: () => es256(goodClaims({ email: 'user@example.test' })), messageId: 'sensitive' },
      { name: 'a sequential numeric sub', text: () => es256(goodClaims({ sub: '42' })), messageId: 'sensitive' },
    ],
  },
};

/** Every way a claims set carries what a readable token must not. */
function sensitiveProblems(claims: Record<string, unknown>, policy: Policy): string[] {
  const problems: string[] = [];
  const secrets = matching(claims, policy.tokens.secretClaims, hasValue);
  if (secrets.length > 0) problems.push(`claims named like secrets: ${secrets.join(', ')}`);
  if (!policy.tokens.allowPersonalData) {
    const personal = matching(claims, policy.tokens.personalClaims, hasValue);
    if (personal.length > 0) problems.push(`personal data: ${personal.join(', ')} (tokens.allowPersonalData is off)`);
  }
  const sub = claims.sub;
  if ((typeof sub === 'number' && Number.isInteger(sub)) || (typeof sub === 'string' && /^[0-9]{1,9}$/.test(sub))) {
    problems.push('a sequential numeric sub, which tells readers how many users there are');
  }
  return problems;
}
