import { es256, goodClaims } from './example-material.js';
import { bracketList as list } from '../util/format.js';
import type { Rule } from './types.js';

/** A checked token without an audience, or meant for someone else (RFC 8725 3.9). */
export const tokenAudience: Rule = {
  meta: {
    id: 'token-audience',
    description: 'A checked token without aud, or whose aud is not in tokens.audiences.',
    defaultSeverity: 'error',
    securitySeverity: 7.0,
    help: 'A token must say whom it is for, and a verifier must refuse tokens meant for someone else (RFC 8725 3.9): otherwise a token for one service is replayed at another.\n\n**What to do:** request a token for this audience, or add the audience to `tokens.audiences` if it is this service.',
    messages: {
      noAudience: 'it has no aud: a token without an audience must be refused (RFC 8725 3.9)',
      unexpected: 'audience {aud} is not one of {audiences}',
    },
  },
  verifyClaims({ facts, policy }) {
    const aud = facts.claims?.aud;
    const audiences = Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : typeof aud === 'string' ? [aud] : [];
    if (audiences.length === 0) return { messageId: 'noAudience' };
    const allowed = policy.tokens.audiences;
    if (allowed.length === 0 || audiences.some((a) => allowed.includes(a))) return undefined;
    const shown = audiences.length === 1 ? `'${audiences[0]!.slice(0, 120)}'` : list(audiences.map((a) => a.slice(0, 60)));
    return { messageId: 'unexpected', data: { aud: shown, audiences: list(allowed) } };
  },
  examples: {
    valid: [
      { name: 'a token for this service', mode: 'verify', text: () => es256(), policy: { tokens: { audiences: ['api'] } } },
      { name: 'one of several audiences', mode: 'verify', text: () => es256(goodClaims({ aud: ['other', 'api'] })), policy: { tokens: { audiences: ['api'] } } },
    ],
    invalid: [
      { name: 'a token without aud', mode: 'verify', text: () => es256(goodClaims({ aud: undefined })), policy: { tokens: { requiredClaims: [] } }, messageId: 'noAudience' },
      { name: 'a token for another service', mode: 'verify', text: () => es256(goodClaims({ aud: 'billing' })), policy: { tokens: { audiences: ['api'] } }, messageId: 'unexpected' },
    ],
  },
};
