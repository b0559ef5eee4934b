import { describeToken } from '../analyze/describe.js';
import { formatDuration } from '../util/format.js';
import type { Policy } from '../policy/types.js';
import { isoTime as iso } from '../util/format.js';
import { es256, goodClaims, nowSeconds } from './example-material.js';
import type { Rule } from './types.js';

/** How a token's life breaks the policy: no exp, or a life (iat to exp, else now to exp) beyond tokens.maxLifetime. */
function lifetimeProblem(claims: Record<string, unknown>, policy: Policy, now: number): { noExp: true } | { life: number; iat?: number; exp: number } | undefined {
  const { exp, iat } = claims;
  if (typeof exp !== 'number') return { noExp: true };
  const life = typeof iat === 'number' ? exp - iat : exp - now;
  if (life <= policy.tokens.maxLifetime) return undefined;
  return typeof iat === 'number' ? { life, iat, exp } : { life, exp };
}

/** No exp, or a life beyond tokens.maxLifetime: in scanned tokens and in tokens checked or minted. */
export const tokenLifetime: Rule = {
  meta: {
    id: 'token-lifetime',
    description: 'A token without exp, or living longer than tokens.maxLifetime (judged from iat to exp).',
    defaultSeverity: 'warning',
    securitySeverity: 5.0,
    help: [
      'A token is valid until it expires, wherever it ends up. Tokens need an `exp`, and a short life: hours, not weeks (default maximum 24 hours; `strict`: 1 hour).',
      '',
      'The lifetime is judged from `iat` to `exp`, as issued: a token issued with a twenty-year `exp` lives twenty years, however recently it was made.',
      '',
      '**What to do:** issue short-lived tokens and refresh them; give every token an `exp`.',
    ].join('\n'),
    messages: {
      noExp: '{token} has no exp: it never expires. Give every token an exp within {limit}.',
      tooLong: '{token} lives {life} (iat {iat} to exp {exp}), longer than {limit}. Issue shorter-lived tokens and refresh them.',
      tooLongNoIat: '{token} has no iat and expires in {life}, longer than {limit}. Issue shorter-lived tokens, with iat.',
      refusedNoExp: 'it has no exp: it never expires',
      refusedTooLong: 'it lives {life} (iat {iat} to exp {exp}), longer than tokens.maxLifetime ({max})',
      refusedTooLongNoIat: 'it lives {life} (no iat), longer than tokens.maxLifetime ({max})',
    },
  },
  check({ facts, policy, now }) {
    if (facts.kind !== 'token' || !facts.claims) return [];
    const problem = lifetimeProblem(facts.claims, policy, now);
    if (!problem) return [];
    const data = { token: describeToken(facts), limit: `tokens.maxLifetime (${formatDuration(policy.tokens.maxLifetime)})` };
    if ('noExp' in problem) return [{ messageId: 'noExp', data }];
    if (problem.iat === undefined) return [{ messageId: 'tooLongNoIat', data: { ...data, life: formatDuration(problem.life) } }];
    return [{ messageId: 'tooLong', data: { ...data, life: formatDuration(problem.life), iat: iso(problem.iat), exp: iso(problem.exp) } }];
  },
  verifyClaims({ facts, policy, now }) {
    const problem = lifetimeProblem(facts.claims ?? {}, policy, now);
    if (!problem) return undefined;
    if ('noExp' in problem) return { messageId: 'refusedNoExp' };
    const data = { life: formatDuration(problem.life), max: formatDuration(policy.tokens.maxLifetime) };
    if (problem.iat === undefined) return { messageId: 'refusedTooLongNoIat', data };
    return { messageId: 'refusedTooLong', data: { ...data, iat: iso(problem.iat), exp: iso(problem.exp) } };
  },
  examples: {
    valid: [
      { name: 'a ten-minute token', text: () => es256() },
      { name: 'a week-long token when tokens.maxLifetime allows it', text: () => es256(goodClaims({ exp: nowSeconds() + 7 * 86400 })), policy: { tokens: { maxLifetime: '8d' } } },
    ],
    invalid: [
      { name: 'a token without exp', text: () => es256(goodClaims({ exp: undefined })), messageId: 'noExp' },
      { name: 'a token issued for twenty years', text: () => es256(goodClaims({ exp: nowSeconds() + 20 * 365 * 86400 })), messageId: 'tooLong' },
      { name: 'a token without iat that expires in a month', text: () => es256(goodClaims({ iat: undefined, exp: nowSeconds() + 30 * 86400 })), messageId: 'tooLongNoIat' },
      { name: 'an exp beyond any date, said to be out of range', text: () => es256(goodClaims({ exp: 1e20 })), messageId: 'tooLong' },
    ],
  },
};
