import { describeKey, describeToken } from '../analyze/describe.js';
import { judgeAlgorithm } from './algorithms.js';
import type { Rule } from './types.js';

/** An `alg` outside the policy, in a token header or a JWK. */
export const disallowedAlgorithm: Rule = {
  meta: {
    id: 'disallowed-algorithm',
    description: "A token header alg or a JWK alg outside algorithms.allow, or in algorithms.deny; 'none' in any casing and 'RSA1_5' are never allowed.",
    defaultSeverity: 'error',
    securitySeverity: 8.0,
    help: [
      'Only the algorithms the policy allows may appear. Each extra algorithm a verifier accepts is one more way to attack it: `none` turns signatures off (RFC 8725 2.1, 3.2), `RSA1_5` is open to padding-oracle attacks, and accepting both HMAC and RSA invites key-confusion attacks.',
      '',
      '**What to do:** use one of the allowed algorithms (most applications need one or two), or, if this algorithm is really needed, add it to `algorithms.allow` in the policy. `none` and `RSA1_5` cannot be allowed.',
    ].join('\n'),
  },
  check({ facts, policy }) {
    if (!facts.alg) return [];
    const verdict = judgeAlgorithm(facts.alg, policy.algorithms);
    if (verdict.allowed) return [];
    const what = facts.kind === 'token' ? describeToken(facts) : describeKey(facts);
    return [{ message: `${what} names a disallowed algorithm: ${verdict.reason}.` }];
  },
};
