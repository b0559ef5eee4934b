import { describeToken } from '../analyze/describe.js';
import type { Policy } from '../policy/types.js';
import { es256, goodClaims } from './example-material.js';
import type { Rule } from './types.js';

const WHY: Record<string, string> = {
  aud: 'without aud, a token accepted by one service is accepted by all that trust the issuer (RFC 8725 3.9)',
  iss: 'iss names who issued the token, so verifiers can pick the right keys',
  exp: 'without exp the token never expires',
  jti: 'jti lets verifiers refuse replays',
  iat: 'iat lets verifiers judge the lifetime as issued',
};

const missingFrom = (claims: Record<string, unknown>, policy: Policy) => policy.tokens.requiredClaims.filter((name) => claims[name] === undefined);

export const missingClaim: Rule = {
  meta: {
    id: 'missing-claim',
    description: 'A token lacks a claim listed in tokens.requiredClaims (iss, aud and exp by default; strict adds iat and jti).',
    defaultSeverity: 'warning',
    securitySeverity: 4.0,
    help: [
      'Verifiers can only check what a token says. `aud` stops a token minted for one service being replayed at another (RFC 8725 3.9), `iss` names the issuer, `exp` bounds the damage, `jti` enables replay protection and `iat` dates the token.',
      '',
      '**What to do:** have the issuer set every claim in `tokens.requiredClaims`, and have verifiers require them.',
    ].join('\n'),
    messages: {
      missing: '{token} lacks {claims} (tokens.requiredClaims).',
      missingWhy: '{token} lacks {claims} (tokens.requiredClaims): {why}.',
      refused: 'it lacks {claims} (tokens.requiredClaims)',
    },
  },
  check({ facts, policy }) {
    if (facts.kind !== 'token' || !facts.claims) return [];
    const missing = missingFrom(facts.claims, policy);
    if (missing.length === 0) return [];
    const reasons = missing.map((name) => WHY[name]).filter(Boolean);
    const data = { token: describeToken(facts), claims: missing.join(', ') };
    return [reasons.length > 0 ? { messageId: 'missingWhy', data: { ...data, why: reasons.join('; ') } } : { messageId: 'missing', data }];
  },
  verifyClaims({ facts, policy }) {
    const missing = missingFrom(facts.claims ?? {}, policy);
    return missing.length > 0 ? { messageId: 'refused', data: { claims: missing.join(', ') } } : undefined;
  },
  examples: {
    valid: [
      { name: 'a token with iss, aud and exp', text: () => es256() },
      { name: 'a token without aud when the policy does not require it', text: () => es256(goodClaims({ aud: undefined })), policy: { tokens: { requiredClaims: ['iss', 'exp'] } } },
    ],
    invalid: [
      { name: 'a token without aud', text: () => es256(goodClaims({ aud: undefined })), messageId: 'missingWhy' },
      { name: 'a token without a claim the policy adds', text: () => es256(), policy: { tokens: { requiredClaims: ['tenant'] } }, messageId: 'missing' },
      { name: 'a checked token without iss', mode: 'verify', text: () => es256(goodClaims({ iss: undefined })), policy: { tokens: { requiredClaims: ['iss'] } }, messageId: 'refused' },
    ],
  },
};
