import type { Rule } from './types.js';

/**
 * The rules of a checked token's verification (src/check/check.ts). They have no check
 * of their own in the scan: only a token handed to `jwt-guard check` (or the Action's
 * tokens input) is verified against trusted keys and the expected issuer and audience.
 */
const verification = (id: string, description: string, securitySeverity: number, help: string): Rule => ({
  meta: { id, description, defaultSeverity: 'error', securitySeverity, help },
});

export const tokenSignature = verification(
  'token-signature',
  'A checked token that cannot be verified: malformed, signed with a key no trusted key matches, or with a signature that does not verify.',
  9.0,
  [
    'A checked token must be signed by a key the policy trusts: one of `tokens.trustedKeys`, a key from an allowed `tokens.jwksUrls` URL, or (for HS* tokens) the HMAC secret given to jwt-guard. A key or URL named by the token itself (`jku`, `x5u`, `jwk`, `x5c`) is never used.',
    '',
    '**What to do:** if the token is genuine, add its issuer\'s public key (or JWKS URL) to the policy; otherwise refuse it: it was altered or signed by someone else.',
  ].join('\n'),
);

export const tokenExpired = verification(
  'token-expired',
  'A checked token that has expired, is not yet valid (nbf), or was issued in the future, beyond tokens.clockTolerance.',
  6.0,
  'A token past its `exp`, before its `nbf`, or with an `iat` in the future (beyond the clock tolerance, 30 seconds by default) must be refused.\n\n**What to do:** obtain a fresh token; if clocks disagree, fix the clocks rather than widening `tokens.clockTolerance`.',
);

export const tokenIssuer = verification(
  'token-issuer',
  "A checked token whose iss is missing or not in tokens.issuers.",
  7.0,
  'A verifier must accept tokens only from the issuers it expects, or one issuer\'s tokens are accepted as another\'s.\n\n**What to do:** obtain the token from an expected issuer, or add the issuer to `tokens.issuers` if it is one.',
);

export const tokenAudience = verification(
  'token-audience',
  'A checked token without aud, or whose aud is not in tokens.audiences.',
  7.0,
  'A token must say whom it is for, and a verifier must refuse tokens meant for someone else (RFC 8725 3.9): otherwise a token for one service is replayed at another.\n\n**What to do:** request a token for this audience, or add the audience to `tokens.audiences` if it is this service.',
);

export const tokenType = verification(
  'token-type',
  'A checked token whose typ header is not tokens.type.',
  5.0,
  'Explicit typing (RFC 8725 3.11) stops one kind of token (an ID token, a logout token) being used as another (an access token).\n\n**What to do:** use a token of the expected type, or set `tokens.type` to the type this service accepts.',
);
