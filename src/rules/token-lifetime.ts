import { describeToken } from '../analyze/describe.js';
import { formatDuration } from '../policy/duration.js';
import type { Rule } from './types.js';
import { isoTime as iso } from '../util/time.js';


/** No exp, or a life (iat to exp, else now to exp) beyond tokens.maxLifetime. */
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
  },
  check({ facts, policy, now }) {
    if (facts.kind !== 'token' || !facts.claims) return [];
    const { exp, iat } = facts.claims;
    const max = policy.tokens.maxLifetime;
    const limit = `tokens.maxLifetime (${formatDuration(max)})`;
    if (typeof exp !== 'number') {
      return [{ message: `${describeToken(facts)} has no exp: it never expires. Give every token an exp within ${limit}.` }];
    }
    if (typeof iat === 'number') {
      if (exp - iat > max) return [{ message: `${describeToken(facts)} lives ${formatDuration(exp - iat)} (iat ${iso(iat)} to exp ${iso(exp)}), longer than ${limit}. Issue shorter-lived tokens and refresh them.` }];
      return [];
    }
    if (exp - now > max) {
      return [{ message: `${describeToken(facts)} has no iat and expires in ${formatDuration(exp - now)}, longer than ${limit}. Issue shorter-lived tokens, with iat.` }];
    }
    return [];
  },
};
