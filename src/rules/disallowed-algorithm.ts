import { describeKey, describeToken } from '../analyze/describe.js';
import { judgeAlgorithm } from '../jose/algorithms.js';
import { ecKey, es256, goodClaims, hs256, publicJwk, unsignedShape } from './example-material.js';
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
    messages: {
      disallowed: '{subject} names a disallowed algorithm: {reason}.',
      refused: '{reason}',
      refusedByVerifier: 'its alg {alg} is not allowed',
    },
  },
  check({ facts, policy }) {
    if (!facts.alg) return [];
    const verdict = judgeAlgorithm(facts.alg, policy.algorithms);
    if (verdict.allowed) return [];
    const subject = facts.kind === 'token' ? describeToken(facts) : describeKey(facts);
    return [{ messageId: 'disallowed', data: { subject, reason: verdict.reason } }];
  },
  verifyHeader({ facts, policy }) {
    const verdict = judgeAlgorithm(facts.alg, policy.algorithms);
    return verdict.allowed ? undefined : { messageId: 'refused', data: { reason: verdict.reason } };
  },
  examples: {
    valid: [
      { name: 'an ES256 token', text: () => es256() },
      { name: 'an HS256 token when the policy allows HS256', text: () => hs256('a-random-secret-that-is-long-enough-for-hs256') },
    ],
    invalid: [
      { name: "a token with alg 'none'", text: () => `${unsignedShape({ alg: 'none', typ: 'JWT' }).split('.').slice(0, 2).join('.')}.`, messageId: 'disallowed' },
      { name: "alg 'NoNe' in any casing", text: () => unsignedShape({ alg: 'NoNe' }), messageId: 'disallowed' },
      { name: 'a JWK naming RSA1_5', text: () => JSON.stringify({ ...publicJwk(ecKey()), alg: 'RSA1_5' }), messageId: 'disallowed' },
      { name: 'HS256 under strict, which allows asymmetric algorithms only', text: () => hs256('a-random-secret-that-is-long-enough-for-hs256', goodClaims()), policy: { extends: 'strict' }, messageId: 'disallowed' },
      { name: 'a checked token whose alg the policy denies', mode: 'verify', text: () => es256(), policy: { algorithms: { deny: ['ES256'] } }, messageId: 'refused' },
    ],
  },
};
