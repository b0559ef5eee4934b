import { es256, goodClaims, jweShape, nowSeconds, unsignedShape } from './example-material.js';
import { PLACEMENT_NOTE, placementReport, UNUSABLE_MESSAGE } from './placement.js';
import type { Rule } from './types.js';

export const committedToken: Rule = {
  meta: {
    id: 'committed-token',
    description: 'A real JWT or JWE (its header decodes and names alg) in a file that is not a log.',
    defaultSeverity: 'error',
    securitySeverity: 8.0,
    help: [
      'A signed JWT is a postcard: anyone holding it can read it and, until it expires, use it. A token committed to a repository is held by everyone who can read the repository, its forks and its history.',
      '',
      `**What to do:** revoke the token (or rotate the key that signed it), remove it, and have code obtain tokens at run time. ${PLACEMENT_NOTE}`,
    ].join('\n'),
    placement: true,
    messages: {
      unusable: UNUSABLE_MESSAGE,
      committed: '{token} is committed to the repository{expiry}. Anyone who can read the repository can use it until it expires: revoke it, remove it, and obtain tokens at run time.',
    },
  },
  check({ facts, unit, severity, now }) {
    if (facts.kind !== 'token' || unit.kind !== 'file') return [];
    return [placementReport(facts, severity, now, 'committed')];
  },
  examples: {
    valid: [
      { name: 'a token in a log is token-in-log, not this', text: () => es256(), kind: 'log' },
      { name: 'a look-alike whose header names no alg', text: () => `${Buffer.from('{"typ":"JWT"}').toString('base64url')}.eyJzdWIiOiJ4In0.c2ln` },
    ],
    invalid: [
      { name: 'a JWT in a config file', text: async () => `token: ${await es256()}`, messageId: 'committed' },
      { name: 'a token-shaped string whose ES256 signature is 3 bytes, a note', text: async () => `${(await es256()).split('.').slice(0, 2).join('.')}.Zm9v`, messageId: 'unusable', severity: 'note' },
      { name: 'an HS256 shape with a 64-byte signature (HS256 makes 32), a note', text: () => unsignedShape({ alg: 'HS512' }).replace(/^[^.]+/, Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')), messageId: 'unusable', severity: 'note' },
      { name: 'a JWE whose GCM tag is cut short, a note', text: () => jweShape({ alg: 'dir', enc: 'A256GCM' }).replace(/\.[^.]+$/, '.AAAA'), messageId: 'unusable', severity: 'note' },
      { name: 'an expired token, one level lower', text: () => es256(goodClaims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })), messageId: 'committed', severity: 'warning' },
    ],
  },
};
