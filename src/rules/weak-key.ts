import { lower } from './severity.js';
import { append } from '../util/arrays.js';
import { bracketList } from '../util/format.js';
import { describeKey } from '../analyze/describe.js';
import type { Policy } from '../policy/types.js';
import type { KeyFacts } from '../types.js';
import { keyRequirement } from '../jose/algorithms.js';
import type { Rule } from './types.js';
import { randomBytes } from 'node:crypto';
import { ecKey, publicJwk, rsaKey, spki } from './example-material.js';

const MONTGOMERY_OR_EDWARDS = new Set(['Ed25519', 'Ed448', 'X25519', 'X448']);

/**
 * A symmetric key is judged by what it is for: an AES key (A128KW, A256GCM,
 * A128CBC-HS256...) by the one size its algorithm takes, an HMAC key (HS*, or no alg) by
 * the HMAC minimum and its hash. A key for dir or PBES2 is sized by the enc it is used
 * with, or is a password: its size says nothing here.
 */
function symmetricKeyProblems(alg: string | undefined, bits: number, minHmacBits: number): string[] {
  const requirement = alg ? keyRequirement(alg) : undefined;
  if (requirement?.exactBits !== undefined) {
    return bits === requirement.exactBits ? [] : [`its ${bits} bits do not fit ${alg}, which takes a ${requirement.exactBits}-bit key (RFC 7518)`];
  }
  if (alg && !/^HS(256|384|512)$/.test(alg)) return [];
  const hash = requirement?.minBits;
  const needed = Math.max(minHmacBits, hash ?? 0);
  if (bits >= needed) return [];
  const why = hash && hash >= minHmacBits ? `${alg} needs a key at least as long as its hash (RFC 7518 3.2)` : 'keys.minHmacBits';
  return [`its ${bits} bits are fewer than ${needed} (${why})`];
}

/** Every reason a key is too weak for the policy, or unfit for the algorithm it names. */
export function keyWeaknesses(key: KeyFacts, keys: Policy['keys']): string[] {
  const problems: string[] = [];
  const { keyType, bits, curve } = key;
  if ((keyType === 'RSA' || keyType === 'RSA-PSS' || keyType === 'ElGamal') && bits !== undefined && bits < keys.minRsaBits) {
    problems.push(`its ${bits}-bit modulus is below keys.minRsaBits (${keys.minRsaBits})`);
  }
  if ((keyType === 'EC' || keyType === 'ECDH' || MONTGOMERY_OR_EDWARDS.has(keyType)) && curve && !keys.curves.includes(curve)) {
    problems.push(`curve ${curve} is not in keys.curves ${bracketList(keys.curves)}`);
  }
  if (keyType === 'DSA') problems.push('DSA is weak at any size: FIPS 186-5 withdrew it for signing and JOSE has no DSA algorithm');
  if (keyType === 'oct' && bits !== undefined) append(problems, symmetricKeyProblems(key.alg, bits, keys.minHmacBits));
  if (key.alg) {
    const requirement = keyRequirement(key.alg);
    if (requirement && !requirement.keyTypes.includes(keyType)) {
      problems.push(`its alg ${key.alg} needs ${requirement.keyTypes.length > 1 ? 'one of ' : 'a '}${requirement.keyTypes.join(', ')} key, and one key must serve one algorithm (RFC 8725 3.1)`);
    } else if (requirement?.curves && curve && !requirement.curves.includes(curve)) {
      problems.push(`its alg ${key.alg} needs curve ${requirement.curves.join(' or ')}, not ${curve}`);
    }
  }
  return problems;
}

/** Keys too small, on disallowed curves, of a withdrawn type, or unfit for their own `alg`. */
export const weakKey: Rule = {
  meta: {
    id: 'weak-key',
    description:
      'A key too weak for the policy: RSA under keys.minRsaBits, an EC curve outside keys.curves, DSA, an HMAC key under keys.minHmacBits or its hash, an AES key of the wrong size for its alg, or a JWK whose alg does not fit the key. Private keys, public keys, certificates, SSH keys and JWKs alike.',
    defaultSeverity: 'error',
    securitySeverity: 7.5,
    help: [
      'A weak key can be broken or forged, and a key used with the wrong algorithm invites confusion attacks.',
      '',
      '- **RSA** keys need at least 2048 bits (RFC 7518 3.3; NIST SP 800-131A allows 2048 until 2030; the `strict` preset asks 3072).',
      '- **EC** keys must use an allowed curve: P-256, P-384, P-521, or the Ed25519/Ed448 family by default; secp256k1 only when the policy lists it.',
      '- **DSA** is weak at any size.',
      '- **HMAC** (`oct`) keys must be at least as long as the hash they feed: 256 bits for HS256, 384 for HS384, 512 for HS512 (RFC 7518 3.2). A key with no `alg` is judged as an HMAC key. **AES** keys (`A128KW`, `A256GCM`, `A128CBC-HS256`...) must be the size their algorithm takes: a 128-bit AES key is not weak.',
      '- A JWK\'s `alg` must fit its key (ES256 needs P-256, RS256 an RSA key, HS256 an oct key): one key, one algorithm (RFC 8725 3.1).',
      '',
      '**What to do:** generate a new key that meets the policy (`keys.minRsaBits`, `keys.curves`, `keys.minHmacBits`; for instance EC P-256 or Ed25519, which `jwt-guard keygen` makes), publish it, move signers to it, then retire the weak one. Where a weak public key belongs to someone else, tell them.',
    ].join('\n'),
    messages: {
      weak: '{key} is weak: {problems}. Replace it with a key the policy accepts and retire this one.',
      weakCertificate: 'The certificate for {subject} (issued by {issuer}) has a weak key, {key}: {problems}. A published certificate is its owner\'s to replace, not a key to rotate here: if it is yours, reissue it with a key the policy accepts; if it is a vendor\'s that clients verify against, track its replacement.',
    },
  },
  check({ facts, policy, severity }) {
    // An unconfirmed JWK (a curve node cannot read) is judged by what its members declare, one level lower.
    if (facts.kind !== 'key' || (!facts.confirmed && facts.encoding !== 'jwk')) return [];
    const problems = keyWeaknesses(facts, policy.keys);
    if (problems.length === 0) return [];
    if (!facts.confirmed) return [{ messageId: 'weak', data: { key: describeKey(facts), problems: problems.join('; ') }, severity: lower(severity) }];
    if (facts.encoding === 'x509') {
      // Public, and shipped so that clients can verify (AWS's 1024-bit certificates): worth knowing, not a build failure.
      return [{ messageId: 'weakCertificate', data: { subject: facts.subject ?? 'an unnamed subject', issuer: facts.issuer ?? 'an unnamed issuer', key: describeKey({ ...facts, subject: undefined }), problems: problems.join('; ') }, severity: 'note' }];
    }
    return [{ messageId: 'weak', data: { key: describeKey(facts), problems: problems.join('; ') } }];
  },
  examples: {
    valid: [
      { name: 'an EC P-256 public key', text: () => spki(ecKey()) },
      { name: 'a 2048-bit RSA public key', text: () => spki(rsaKey(2048)) },
      { name: 'secp256k1 when the policy lists it', text: () => spki(ecKey('secp256k1')), policy: { keys: { curves: ['P-256', 'secp256k1'] } } },
      { name: 'a 256-bit HS256 JWK', text: () => JSON.stringify({ kty: 'oct', alg: 'HS256', k: randomBytes(32).toString('base64url') }) },
      ...['A128KW', 'A128GCMKW', 'A128GCM'].map((alg) => ({ name: `a 128-bit AES key for ${alg}, judged by AES, not by the HMAC minimum`, text: () => JSON.stringify({ kty: 'oct', alg, k: randomBytes(16).toString('base64url') }) })),
      { name: 'a 256-bit key for A128CBC-HS256 (both halves)', text: () => JSON.stringify({ kty: 'oct', alg: 'A128CBC-HS256', k: randomBytes(32).toString('base64url') }) },
    ],
    invalid: [
      { name: 'a 1024-bit RSA public key', text: () => spki(rsaKey(1024)), messageId: 'weak' },
      { name: 'a key on secp256k1, outside keys.curves', text: () => spki(ecKey('secp256k1')), messageId: 'weak' },
      { name: "a JWK on secp256k1 under its draft name 'P-256K'", text: () => JSON.stringify({ ...publicJwk(ecKey('secp256k1')), crv: 'P-256K' }), messageId: 'weak' },
      { name: 'a Brainpool JWK (BP-256), judged by the curve it declares, one level lower', text: () => JSON.stringify({ kty: 'EC', crv: 'BP-256', x: randomBytes(32).toString('base64url'), y: randomBytes(32).toString('base64url') }), messageId: 'weak', severity: 'warning' },
      { name: 'a 128-bit HS256 JWK', text: () => JSON.stringify({ kty: 'oct', alg: 'HS256', k: randomBytes(16).toString('base64url') }), messageId: 'weak' },
      { name: 'a 128-bit key with no alg, an HMAC key by default', text: () => JSON.stringify({ kty: 'oct', k: randomBytes(16).toString('base64url') }), messageId: 'weak' },
      { name: 'a 128-bit key for A256KW, which takes 256 bits', text: () => JSON.stringify({ kty: 'oct', alg: 'A256KW', k: randomBytes(16).toString('base64url') }), messageId: 'weak' },
      { name: 'an EC JWK whose alg wants RSA', text: () => JSON.stringify({ ...publicJwk(ecKey()), alg: 'RS256' }), messageId: 'weak' },
      { name: 'a 2048-bit RSA key under strict, which asks 3072', text: () => spki(rsaKey(2048)), policy: { extends: 'strict' }, messageId: 'weak' },
    ],
  },
};
