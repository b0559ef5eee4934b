import { es256, goodClaims } from './example-material.js';
import type { Rule, RuleReport } from './types.js';

/** A checked token of another kind than the policy expects (RFC 8725 3.11). */
export const tokenType: Rule = {
  meta: {
    id: 'token-type',
    description: 'A checked token whose typ header is not tokens.type.',
    defaultSeverity: 'error',
    securitySeverity: 5.0,
    help: 'Explicit typing (RFC 8725 3.11) stops one kind of token (an ID token, a logout token) being used as another (an access token).\n\n**What to do:** use a token of the expected type, or set `tokens.type` to the type this service accepts.',
    messages: {
      missing: "its typ is missing and tokens.type is '{expected}'",
      wrong: "its typ '{typ}' and tokens.type is '{expected}'",
    },
  },
  verifyHeader({ facts, policy }): RuleReport | undefined {
    const expected = policy.tokens.type;
    const typ = facts.header.typ;
    if (!expected || String(typ ?? '').toLowerCase() === expected.toLowerCase()) return undefined;
    return typ === undefined ? { messageId: 'missing', data: { expected } } : { messageId: 'wrong', data: { typ: String(typ).slice(0, 40), expected } };
  },
  examples: {
    valid: [{ name: 'the expected typ, in any casing', mode: 'verify', text: () => es256(goodClaims(), { typ: 'AT+JWT' }), policy: { tokens: { type: 'at+jwt' } } }],
    invalid: [
      { name: 'an ID token where an access token is expected', mode: 'verify', text: () => es256(goodClaims(), { typ: 'JWT' }), policy: { tokens: { type: 'at+jwt' } }, messageId: 'wrong' },
      { name: 'no typ', mode: 'verify', text: () => es256(goodClaims(), { typ: undefined }), policy: { tokens: { type: 'at+jwt' } }, messageId: 'missing' },
    ],
  },
};
