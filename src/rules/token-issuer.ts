import { es256, goodClaims } from './example-material.js';
import { bracketList as list } from '../util/format.js';
import type { Rule, RuleReport } from './types.js';

/** A checked token from an issuer the policy does not expect. */
export const tokenIssuer: Rule = {
  meta: {
    id: 'token-issuer',
    description: 'A checked token whose iss is missing or not in tokens.issuers.',
    defaultSeverity: 'error',
    securitySeverity: 7.0,
    help: "A verifier must accept tokens only from the issuers it expects, or one issuer's tokens are accepted as another's.\n\n**What to do:** obtain the token from an expected issuer, or add the issuer to `tokens.issuers` if it is one.",
    messages: {
      noIssuer: 'it has no iss, and tokens.issuers is {issuers}',
      unexpected: "issuer '{iss}' is not one of {issuers}",
    },
  },
  verifyClaims({ facts, policy }): RuleReport | undefined {
    const issuers = policy.tokens.issuers;
    const iss = facts.claims?.iss;
    if (issuers.length === 0) return undefined;
    if (typeof iss !== 'string') return { messageId: 'noIssuer', data: { issuers: list(issuers) } };
    return issuers.includes(iss) ? undefined : { messageId: 'unexpected', data: { iss: iss.slice(0, 120), issuers: list(issuers) } };
  },
  examples: {
    valid: [
      { name: 'an expected issuer', mode: 'verify', text: () => es256(), policy: { tokens: { issuers: ['https://id.example.test'] } } },
      { name: 'any issuer when tokens.issuers is empty', mode: 'verify', text: () => es256(goodClaims({ iss: 'https://elsewhere.example' })) },
    ],
    invalid: [
      { name: 'another issuer', mode: 'verify', text: () => es256(goodClaims({ iss: 'https://elsewhere.example' })), policy: { tokens: { issuers: ['https://id.example.test'] } }, messageId: 'unexpected' },
      { name: 'no issuer', mode: 'verify', text: () => es256(goodClaims({ iss: undefined })), policy: { tokens: { issuers: ['https://id.example.test'], requiredClaims: [] } }, messageId: 'noIssuer' },
    ],
  },
};
