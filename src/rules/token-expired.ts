import { formatDuration } from '../util/format.js';
import { isoTime as iso } from '../util/format.js';
import { es256, goodClaims, nowSeconds } from './example-material.js';
import type { Rule } from './types.js';

/** A checked token past its exp or before its nbf (jose's verdict, worded here), or issued in the future. */
export const tokenExpired: Rule = {
  meta: {
    id: 'token-expired',
    description: 'A checked token that has expired, is not yet valid (nbf), or was issued in the future, beyond tokens.clockTolerance.',
    defaultSeverity: 'error',
    securitySeverity: 6.0,
    help: 'A token past its `exp`, before its `nbf`, or with an `iat` in the future (beyond the clock tolerance, 30 seconds by default) must be refused.\n\n**What to do:** obtain a fresh token; if clocks disagree, fix the clocks rather than widening `tokens.clockTolerance`.',
    messages: {
      expired: 'it expired {ago} ago (exp {exp})',
      notYetValid: 'it is not valid before {nbf} (in {wait})',
      issuedInFuture: 'it was issued in the future (iat {iat}, {ahead} ahead, beyond tokens.clockTolerance of {tolerance})',
    },
  },
  verifyClaims({ facts, policy, now }) {
    const iat = facts.claims?.iat;
    const tolerance = policy.tokens.clockTolerance;
    if (typeof iat !== 'number' || iat <= now + tolerance) return undefined;
    return { messageId: 'issuedInFuture', data: { iat: iso(iat), ahead: formatDuration(iat - now), tolerance: formatDuration(tolerance) } };
  },
  examples: {
    valid: [{ name: 'a token issued a minute ago', mode: 'verify', text: () => es256() }],
    invalid: [
      { name: 'a token that expired an hour ago', mode: 'verify', text: () => es256(goodClaims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })), messageId: 'expired' },
      { name: 'a token not valid for another hour', mode: 'verify', text: () => es256(goodClaims({ nbf: nowSeconds() + 3600 })), messageId: 'notYetValid' },
      { name: 'a token issued an hour from now', mode: 'verify', text: () => es256(goodClaims({ iat: nowSeconds() + 3600, exp: nowSeconds() + 4000 })), messageId: 'issuedInFuture' },
    ],
  },
};
