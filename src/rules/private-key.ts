import type { KeyFacts, Severity } from '../types.js';
import { lower } from './severity.js';
import type { Rule, RuleReport } from './types.js';
import { describeKey } from '../analyze/describe.js';
import { randomBytes } from 'node:crypto';
import { ecKey, encryptedPkcs8, jwk, pkcs8, publicJwk, rsaKey, spki } from './example-material.js';

/** Random key material with a run of X in it, as one in about ten thousand random keys has (and a digit, as nearly all have). */
const withRun = (k: string) => `${k.slice(0, 10)}XXXX${k.slice(14, 20)}7${k.slice(21)}`;

const ROTATE = 'Rotate it now (it stays in git history) and keep keys in a secret store.';
const MOVE = 'Even encrypted, it belongs in a secret store, not in the repository: move it out and rotate it if the passphrase may be known.';
const UNCONFIRMED = ' Its structure could not be confirmed by parsing, so it may be damaged or of a type this runtime does not read.';

/** Private key material committed to a file or written to a log. */
export const privateKey: Rule = {
  meta: {
    id: 'private-key',
    description:
      'Private key material in a file or log: PEM (PKCS#1, SEC1, PKCS#8, encrypted, DSA), DER without armour (binary or base64), OpenSSH, PuTTY, PGP, a PKCS#12, JKS or JCEKS key store, or a JWK/JWKS with private members.',
    defaultSeverity: 'error',
    securitySeverity: 9.0,
    help: [
      'A private key was found in the repository. Anyone who can read the repository, its forks or its history can sign as its owner.',
      '',
      '**What to do:** treat the key as compromised. Rotate it (issue a new key, publish the new public key, revoke the old one), then remove the file and keep keys in a secret store (a signing key for CI: `jwt-guard keygen`, or `jwt-guard encrypt-key` for an existing one, stored as a secret). Deleting the file is not enough: the key stays in git history (`jwt-guard scan --history` finds every copy). A test key belongs under `files.fixtures` in the policy.',
      '',
      'An encrypted key is reported at the `encryptedSeverity` option (warning by default): its passphrase is one more secret that must never sit beside it.',
      'A key store (PKCS#12 `.p12`/`.pfx`, Java JKS or JCEKS) is tried with a short list of well-known passwords (none, `changeit`, `notasecret`, `android`, `password`, `changeme`, `secret`, `123456`): one that opens with one of them is reported as an error, like an unencrypted key; one that does not is an encrypted key. A store that holds only certificates (a trust store) is not reported.',
      'If the key is a deliberate test fixture, generate it at test time instead, or add an `ignore` entry with a reason to the policy.',
      '',
      'When the policy names production public keys (`keys.trusted`), a private key whose public half is one of them is reported as a **live key**, always as an error: rotate it at once.',
    ].join('\n'),
    options: {
      encryptedSeverity: {
        description: 'Severity for a private key that is encrypted with a passphrase (PKCS#8 or PEM encryption, OpenSSH, PuTTY, PGP). `off` ignores encrypted keys.',
        enum: ['error', 'warning', 'note', 'off'],
        default: 'warning',
      },
    },
    messages: {
      live: 'LIVE KEY: {key} is the private half of the trusted production key ({trusted}). Rotate it now: revoke it, publish a new key, and treat everything it signed as suspect.',
      plain: `{key}. ${ROTATE}`,
      plainUnconfirmed: `{key}. ${ROTATE}${UNCONFIRMED}`,
      encrypted: `{key}. ${MOVE}`,
      encryptedUnconfirmed: `{key}. ${MOVE}${UNCONFIRMED}`,
      storeOpened: `{key}. It opens {password}: anyone who has the file has its keys. ${ROTATE}`,
      storeEncrypted: `{key}. An encrypted key store: its password is one more secret, which must never sit beside it. Move it to a secret store, and rotate its keys if the password may be known.{untried}`,
    },
  },
  check({ facts, severity, options, trusted }): RuleReport[] {
    if (facts.kind !== 'key' || !facts.private) return [];
    const key = facts as KeyFacts;
    const live = key.thumbprint ? trusted.get(key.thumbprint) : undefined;
    if (live) {
      const which = `${live.description}${live.kid ? ` with kid '${live.kid}'` : ''} in ${live.file}`;
      return [{ messageId: 'live', data: { key: describeKey(key), trusted: which }, severity: 'error' }];
    }
    const configured = key.encrypted ? (options.encryptedSeverity as Severity | 'off') : severity;
    if (key.store) {
      const { password, untried } = key.store;
      if (password !== undefined) return [{ messageId: 'storeOpened', data: { key: describeKey(key), password: password === '' ? 'without a password' : `with '${password}', a well-known default password` }, severity }];
      return [{ messageId: 'storeEncrypted', data: { key: describeKey(key), untried: untried ? ` (Not every well-known password was tried: ${untried}.)` : '' }, severity: configured }];
    }
    // A body no parser accepts may be a damaged key or an unusual type: report it, one level lower.
    const reportSeverity = key.confirmed ? configured : lower(configured);
    const messageId = `${key.encrypted ? 'encrypted' : 'plain'}${key.confirmed ? '' : 'Unconfirmed'}`;
    return [{ messageId, data: { key: describeKey(key) }, severity: reportSeverity }];
  },
  examples: {
    valid: [
      { name: 'a public key is not a secret', text: () => spki(ecKey()) },
      { name: 'a public JWK', text: () => JSON.stringify(publicJwk(ecKey())) },
      { name: 'a placeholder between PEM markers', text: () => '-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----\n' },
      { name: 'a symmetric JWK whose k is a placeholder', text: () => JSON.stringify({ kty: 'oct', k: 'XXXX-your-secret-here-XXXX' }) },
      { name: 'code that builds a PEM around a variable', text: () => 'const pem = `-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----`;' },
    ],
    invalid: [
      { name: 'a PKCS#8 PEM', text: () => pkcs8(ecKey()), messageId: 'plain' },
      { name: 'an escaped PEM in JSON', text: () => JSON.stringify({ key: pkcs8(rsaKey()) }), messageId: 'plain' },
      { name: 'a private JWK', text: () => JSON.stringify(jwk(ecKey())), messageId: 'plain' },
      { name: 'a random 256-bit k that happens to hold XXXX', text: () => JSON.stringify({ kty: 'oct', alg: 'HS256', k: withRun(randomBytes(32).toString('base64url')) }), messageId: 'plain' },
      { name: 'an encrypted PKCS#8 PEM, a warning', text: () => encryptedPkcs8(ecKey()), messageId: 'encrypted', severity: 'warning' },
      {
        name: 'a full-size body no parser reads, one level lower',
        text: () => `-----BEGIN RSA PRIVATE KEY-----\n${Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919) % 256)).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END RSA PRIVATE KEY-----\n`,
        messageId: 'plainUnconfirmed',
        severity: 'warning',
      },
    ],
  },
};
