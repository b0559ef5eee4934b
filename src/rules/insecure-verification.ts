import type { Rule } from './types.js';

const JS = 'app.js';

/**
 * Source code that turns JWT verification off or weakens it (src/code/checks/*.ts find it,
 * per library, as each documents its API): the seeds' advice, turned into what a reviewer
 * would flag. Each finding says what is off, why it matters, and the safe call.
 */
export const insecureVerification: Rule = {
  meta: {
    id: 'insecure-verification',
    description: "Source code that disables or weakens JWT verification: the signature not checked, alg 'none' accepted, exp, nbf, iss or aud not checked, the token's own alg trusted, a decoded token trusted where nothing verifies it.",
    defaultSeverity: 'warning',
    securitySeverity: 7.5,
    help: [
      'A verifier that skips a check accepts the tokens that check exists to refuse: without the signature anyone can write a token; with `none` allowed an unsigned token passes; without `exp` a leaked token works for ever; without `aud` a token issued for another service is accepted (RFC 8725 3.9); a key chosen from the token\'s own `alg` lets an attacker sign with HS256 and the public key as secret (RFC 8725 3.1). jwt-guard reads JavaScript and TypeScript (jsonwebtoken, jose, jwt-simple, express-jwt, passport-jwt), Python (PyJWT, python-jose, authlib), Java (java-jwt, jjwt, Nimbus), Go (golang-jwt, go-jose), C# (TokenValidationParameters) and Ruby (ruby-jwt), following options through constants and variables in the same file.',
      '',
      '**What to do:** make the call the message names instead: verify the signature with a fixed list of algorithms, and check `exp`, `nbf`, `iss` and `aud`. A test that turns a check off on purpose belongs under `files.fixtures`, or takes an inline `jwt-guard-ignore-next-line insecure-verification -- reason`.',
    ].join('\n'),
    messages: {
      noSignature: '{call} does not verify the signature ({how}): anyone can forge a token it accepts. Instead: {safe}.',
      algorithmNone: "{call} lets a token without a signature through ({how}): with alg 'none', anyone can write one. Instead: {safe}.",
      noExpiry: '{call} does not check expiry ({how}): a leaked token is accepted for ever. Instead: {safe}.',
      noNotBefore: '{call} does not check nbf ({how}): a token is accepted before it is valid. Instead: {safe}.',
      noAudience: '{call} does not check the audience ({how}): a token issued for another service is accepted here (RFC 8725 3.9). Instead: {safe}.',
      noIssuer: '{call} does not check the issuer ({how}): a token from any issuer whose key is trusted is accepted. Instead: {safe}.',
      noClaims: '{call} does not validate the claims ({how}): exp, nbf, iss and aud go unchecked. Instead: {safe}.',
      headerAlg: "{call} lets the token choose how it is verified ({how}): a token signed with HS256 and the public key as its secret, or with none, passes (RFC 8725 3.1). Instead: {safe}.",
      decodeTrusted: '{call} reads a token without verifying it ({how}), and nothing in {where} verifies one: its claims are whatever the sender wrote. Instead: {safe}.',
      noKeyCheck: '{call} does not validate the signing key ({how}): a key that should no longer be trusted still verifies. Instead: {safe}.',
    },
  },
  code: (context) => ({ messageId: context.fact.messageId, data: context.fact.data }),
  examples: {
    valid: [
      { name: 'jsonwebtoken verify with a fixed algorithm list', path: JS, text: () => "const jwt = require('jsonwebtoken');\nmodule.exports = (t) => jwt.verify(t, process.env.KEY, { algorithms: ['ES256'], audience: 'api' });\n" },
      { name: 'a verify function of another library', path: JS, text: () => "const crypto = require('crypto');\nconst opts = { ignoreExpiration: true };\nsomething.verify(t, k, opts);\n" },
    ],
    invalid: [
      { name: 'jsonwebtoken with ignoreExpiration through a constant', path: JS, text: () => "const jwt = require('jsonwebtoken');\nconst OPTIONS = { ignoreExpiration: true };\nmodule.exports = (t) => jwt.verify(t, process.env.KEY, OPTIONS);\n", messageId: 'noExpiry' },
      { name: 'PyJWT with verify_signature off', path: 'app.py', text: () => 'import jwt\n\ndef user(t):\n    return jwt.decode(t, options={"verify_signature": False})["sub"]\n', messageId: 'noSignature' },
      { name: "ruby-jwt with algorithm 'none'", path: 'app.rb', text: () => "require 'jwt'\nJWT.decode(token, nil, true, { algorithm: 'none' })\n", messageId: 'algorithmNone' },
    ],
  },
};
