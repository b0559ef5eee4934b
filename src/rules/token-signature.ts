import { ecKey, es256, goodClaims, hs256 } from './example-material.js';
import type { Rule } from './types.js';

/**
 * A checked token that cannot be verified. The verifier (src/check/check.ts) reports it:
 * parsing strictly, then jose's verdict on the signature with the trusted keys.
 */
export const tokenSignature: Rule = {
  meta: {
    id: 'token-signature',
    description: 'A checked token that cannot be verified: malformed, signed with a key no trusted key matches, or with a signature that does not verify.',
    defaultSeverity: 'error',
    securitySeverity: 9.0,
    help: [
      'A checked token must be signed by a key the policy trusts: one of `tokens.trustedKeys`, a key from an allowed `tokens.jwksUrls` URL, or (for HS* tokens) the HMAC secret given to jwt-guard. A key or URL named by the token itself (`jku`, `x5u`, `jwk`, `x5c`) is never used.',
      '',
      "**What to do:** if the token is genuine, add its issuer's public key (or JWKS URL) to the policy; otherwise refuse it: it was altered or signed by someone else.",
    ].join('\n'),
    messages: {
      malformed: '{reason}',
      noAlg: 'its header does not name an algorithm',
      noTrustedKey: '{reason}',
      badSignature: 'its signature does not verify against the trusted key{kid}: it was altered or signed by someone else',
      claimRefused: 'jose refused its {claim}: {reason}',
      unverifiable: 'it cannot be verified: {reason}',
    },
  },
  examples: {
    valid: [{ name: 'a token signed by the trusted key', mode: 'verify', text: () => es256() }],
    invalid: [
      { name: 'a token signed by another key', mode: 'verify', text: () => es256(goodClaims(), { kid: 'example-key' }, ecKey()), messageId: 'badSignature' },
      { name: 'a token whose kid no trusted key has', mode: 'verify', text: () => es256(goodClaims(), { kid: 'someone-else' }, ecKey()), messageId: 'noTrustedKey' },
      { name: 'an HS256 token checked without a secret', mode: 'verify', text: () => hs256('a-random-secret-that-is-long-enough-for-hs256'), messageId: 'noTrustedKey' },
      { name: 'a value that is not a JWS', mode: 'verify', text: () => 'not.a.token.at.all', messageId: 'malformed' },
    ],
  },
};
