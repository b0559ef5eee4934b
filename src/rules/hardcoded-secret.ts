import type { Rule } from './types.js';

/**
 * A string literal used as the key of a sign or verify call (src/code/checks/*.ts find
 * it): the literal directly, or through a variable or constant of the same file, or
 * inside a call that only turns it into bytes. The message never shows the secret.
 */
export const hardcodedSecret: Rule = {
  meta: {
    id: 'hardcoded-secret',
    description: 'A string literal (directly, or through a variable or constant in the same file) used as the secret of a JWT sign or verify call, a JWT middleware, or an HMAC key constructor.',
    defaultSeverity: 'error',
    securitySeverity: 8.5,
    help: [
      'A signing secret written into the source is readable by everyone who can read the repository, its forks and its history, and with it anyone can mint tokens your services accept. jwt-guard reports where the literal is, how long it is and whether it is a well-known default, never the value. A value read from the environment, a configuration object, a secret manager or a file is not reported.',
      '',
      '**What to do:** rotate the secret (it is in git history), then read it at run time from the environment or a secret store. Better still, sign with an asymmetric key (ES256, EdDSA) so verifiers hold only a public key. A test secret belongs under `files.fixtures`.',
    ].join('\n'),
    messages: {
      literal: '{call} uses a secret written in the source{via}, {length} characters{weak}: anyone who can read the repository can forge tokens. Rotate it and read it from the environment or a secret manager.',
    },
  },
  code: (context) => ({ messageId: context.fact.messageId, data: context.fact.data }),
  examples: {
    valid: [
      { name: 'a secret from the environment', path: 'app.js', text: () => "const jwt = require('jsonwebtoken');\nexports.sign = (p) => jwt.sign(p, process.env.JWT_SECRET, { algorithm: 'HS256' });\n" },
      { name: 'a literal that is not a key', path: 'app.py', text: () => 'import jwt\nprint("jwt.encode(payload, key)")\n' },
    ],
    invalid: [
      { name: 'jsonwebtoken sign with a literal', path: 'app.js', text: () => `const jwt = require('jsonwebtoken');\nexports.sign = (p) => jwt.sign(p, '${['not', 'a', 'real', 'secret'].join('-')}');\n`, messageId: 'literal' },
      { name: 'a Go Keyfunc returning a constant', path: 'main.go', text: () => `package main\n\nimport "github.com/golang-jwt/jwt/v5"\n\nconst key = "${'k'.repeat(12)}"\n\nfunc parse(s string) (*jwt.Token, error) {\n\treturn jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return []byte(key), nil }, jwt.WithValidMethods([]string{"HS256"}))\n}\n`, messageId: 'literal' },
    ],
  },
};
