import { describeKey, describeToken } from '../analyze/describe.js';
import { judgeAlgorithm, type AlgorithmPolicy } from '../jose/algorithms.js';
import type { Facts } from '../types.js';
import { randomBytes } from 'node:crypto';
import { ecKey, es256, goodClaims, hs256, jweShape, publicJwk, unsignedShape } from './example-material.js';
import type { Rule } from './types.js';

/** Why the algorithms an artifact names are not allowed: a token's or JWK's `alg`, and a JWE's `enc` (the allow list holds both). */
function refusals(facts: Facts, algorithms: AlgorithmPolicy): string[] {
  const named = [facts.alg, facts.kind === 'token' ? facts.enc : undefined].filter((value): value is string => typeof value === 'string' && value.length > 0);
  const reasons: string[] = [];
  for (const value of named) {
    const verdict = judgeAlgorithm(value, algorithms);
    if (!verdict.allowed) reasons.push(verdict.reason);
  }
  return reasons;
}

/** An `alg` or `enc` outside the policy, in a token header or a JWK. */
export const disallowedAlgorithm: Rule = {
  meta: {
    id: 'disallowed-algorithm',
    description: "A token header's alg or enc, or a JWK's alg, outside algorithms.allow or in algorithms.deny; 'none' in any casing and 'RSA1_5' are never allowed.",
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
    const reasons = refusals(facts, policy.algorithms);
    if (reasons.length === 0) return [];
    const subject = facts.kind === 'token' ? describeToken(facts) : describeKey(facts);
    return [{ messageId: 'disallowed', data: { subject, reason: reasons.join('; ') } }];
  },
  verifyHeader({ facts, policy }) {
    const [reason] = refusals(facts, policy.algorithms);
    return reason ? { messageId: 'refused', data: { reason } } : undefined;
  },
  examples: {
    valid: [
      { name: 'an ES256 token', text: () => es256() },
      { name: 'an HS256 token when the policy allows HS256', text: () => hs256('a-random-secret-that-is-long-enough-for-hs256') },
      { name: 'a JWK for dir encryption naming its enc as alg (RFC 7520 5.6)', text: () => JSON.stringify({ kty: 'oct', alg: 'A128GCM', kid: 'dir-key', k: randomBytes(16).toString('base64url') }) },
      { name: 'a JWE with an allowed alg and enc', text: () => jweShape({ alg: 'ECDH-ES', enc: 'A256GCM' }) },
      { name: 'an ML-DSA-65 token (post-quantum, FIPS 204), as the JOSE cookbook signs them', text: () => unsignedShape({ alg: 'ML-DSA-65', kid: 'pq-1' }) },
    ],
    invalid: [
      { name: "a token with alg 'none'", text: () => `${unsignedShape({ alg: 'none', typ: 'JWT' }).split('.').slice(0, 2).join('.')}.`, messageId: 'disallowed' },
      { name: "alg 'NoNe' in any casing", text: () => unsignedShape({ alg: 'NoNe' }), messageId: 'disallowed' },
      { name: 'a JWK naming RSA1_5', text: () => JSON.stringify({ ...publicJwk(ecKey()), alg: 'RSA1_5' }), messageId: 'disallowed' },
      { name: 'a JWE whose enc the policy does not allow', text: () => jweShape({ alg: 'ECDH-ES', enc: 'A128CBC-HS256' }), policy: { algorithms: { allow: ['ECDH-ES', 'A256GCM'] } }, messageId: 'disallowed' },
      { name: 'HS256 under strict, which allows asymmetric algorithms only', text: () => hs256('a-random-secret-that-is-long-enough-for-hs256', goodClaims()), policy: { extends: 'strict' }, messageId: 'disallowed' },
      { name: 'a checked token whose alg the policy denies', mode: 'verify', text: () => es256(), policy: { algorithms: { deny: ['ES256'] } }, messageId: 'refused' },
    ],
  },
};
