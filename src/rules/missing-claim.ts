import { describeToken } from '../analyze/describe.js';
import type { Rule } from './types.js';

const WHY: Record<string, string> = {
  aud: 'without aud, a token accepted by one service is accepted by all that trust the issuer (RFC 8725 3.9)',
  iss: 'iss names who issued the token, so verifiers can pick the right keys',
  exp: 'without exp the token never expires',
  jti: 'jti lets verifiers refuse replays',
  iat: 'iat lets verifiers judge the lifetime as issued',
};

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
  },
  check({ facts, policy }) {
    if (facts.kind !== 'token' || !facts.claims) return [];
    const claims = facts.claims;
    const missing = policy.tokens.requiredClaims.filter((name) => claims[name] === undefined);
    if (missing.length === 0) return [];
    const reasons = missing.map((name) => WHY[name]).filter(Boolean);
    return [{ message: `${describeToken(facts)} lacks ${missing.join(', ')} (tokens.requiredClaims)${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}.` }];
  },
};
