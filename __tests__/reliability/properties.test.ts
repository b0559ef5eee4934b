/**
 * Properties over generated inputs: no input makes the detectors, the token parser, the
 * policy loader or the duration parser throw anything but the project's own errors, and
 * every minted token verifies and satisfies the policy.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jwtVerify } from 'jose';
import { analyzeToken } from '../../src/analyze/tokens.js';
import { checkTokens } from '../../src/check/check.js';
import { scanUnit } from '../../src/pipeline/scan-unit.js';
import { PolicyError, UserError } from '../../src/errors.js';
import { encryptToJwe, openSigningKey } from '../../src/mint/keys.js';
import { mintTokens } from '../../src/mint/mint.js';
import { MAX_DURATION_SECONDS, parseDuration } from '../../src/policy/duration.js';
import { parsePolicyText, resolvePolicy } from '../../src/policy/load.js';
import { parseSize } from '../../src/policy/size.js';
import * as k from '../helpers/keys.js';

const policy = resolvePolicy({}, 'test');
const ec = k.keyPair({ type: 'ec', curve: 'P-256' });

/** Pieces of every format jwt-guard reads, to be shuffled with noise into near-misses. */
const FRAGMENTS = [
  '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----',
  '-----BEGIN OPENSSH PRIVATE KEY-----', '-----BEGIN PGP PRIVATE KEY BLOCK-----', 'Proc-Type: 4,ENCRYPTED', '\n', '\\n', '"', "'", ' + ',
  'MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA', 'AAAA', '==', '{', '}', '[', ']', ',', ':', '"kty":"RSA"', '"kty":"oct"', '"k":"c2VjcmV0"',
  '"d":"', '"n":"', 'kty: ', 'eyJhbGciOiJIUzI1NiJ9', 'eyJhbGciOiJub25lIn0', 'eyJzdWIiOiIxIn0', '.', 'PuTTY-User-Key-File-3: ssh-rsa\n', 'Public-Lines: 1\n',
  'Private-Lines: 1\n', 'Private-MAC: 00\n', 'ssh-rsa ', 'AAAAB3NzaC1yc2EAAAADAQAB', 'https://x.test/cb?token=', '&', '#', '=',
  'jwt-guard-ignore', 'jwt-guard-ignore-begin', 'jwt-guard-ignore-end', '\u0000', '\uFFFD', '😀', '\\u002b',
  k.pkcs8(ec.privateKey).slice(28, 90), JSON.stringify(k.jwk(ec.privateKey)).slice(0, 60),
];
const nearMiss = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })), { maxLength: 60 }).map((parts) => parts.join(''));
const anyText = fc.oneof(nearMiss, fc.string({ maxLength: 400, unit: 'binary' }), fc.json());

describe('properties', () => {
  it('scanning any text never throws, and findings point inside it', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => {
        const { findings } = await scanUnit({ path: 'fuzz.txt', kind: 'file', text }, policy);
        const lines = text.split('\n').length;
        for (const finding of findings) {
          expect(finding.line).toBeGreaterThanOrEqual(1);
          expect(finding.endLine).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('key material no parser reads is "not a key", never an analysis failure: only bugs surface as incomplete-scan', async () => {
    const policy = resolvePolicy({}, 'test');
    const b64u = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64url'));
    const members = fc.record({ n: b64u, e: b64u, d: b64u, crv: fc.constantFrom('P-256', 'P-384', 'P-521', 'Ed25519', 'Ed448', 'X25519', 'secp256k1', 'bogus'), x: b64u, y: b64u, k: b64u, p: b64u, q: b64u, dp: b64u, dq: b64u, qi: b64u }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('RSA', 'EC', 'OKP', 'oct'), members, async (kty, rest) => {
        const { gaps } = await scanUnit({ path: 'f', kind: 'file', text: JSON.stringify({ kty, ...rest }) }, policy);
        expect(gaps.filter((g) => g.reason === 'analysis-failed')).toEqual([]);
      }),
      { numRuns: 500 },
    );
    const labels = fc.constantFrom('PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PGP PRIVATE KEY BLOCK', 'PUBLIC KEY', 'CERTIFICATE');
    await fc.assert(
      fc.asyncProperty(labels, fc.uint8Array({ minLength: 30, maxLength: 600 }), async (label, bytes) => {
        const body = label === 'OPENSSH PRIVATE KEY' ? Buffer.concat([Buffer.from('openssh-key-v1\0'), Buffer.from(bytes)]) : Buffer.from(bytes);
        const text = `-----BEGIN ${label}-----\n${body.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;
        const { gaps } = await scanUnit({ path: 'f', kind: 'file', text }, policy);
        expect(gaps.filter((g) => g.reason === 'analysis-failed')).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('the token parser and the verifier take any string without throwing, and refuse what is not a signed token', async () => {
    const tokenish = fc.oneof(
      nearMiss,
      fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((parts) => parts.join('.').replace(/\+/g, '-').replace(/\//g, '_')),
      fc.tuple(fc.json(), fc.json()).map(([h, p]) => `${Buffer.from(h).toString('base64url')}.${Buffer.from(p).toString('base64url')}.c2ln`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(tokenish, { minLength: 1, maxLength: 4 }), async (tokens) => {
        for (const token of tokens) analyzeToken({ type: 'jwt', span: { start: 0, end: token.length }, raw: token });
        const verdicts = await checkTokens(tokens, policy, { local: [k.jwk(ec.publicKey)], remote: [] });
        expect(verdicts.every((v) => !v.valid && v.failure !== undefined)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the policy loader throws only PolicyError, with a place for every problem', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string({ maxLength: 200 }), nearMiss, fc.jsonValue().map((v) => JSON.stringify({ files: v, rules: v, ignore: v }))), (text) => {
        try {
          resolvePolicy(parsePolicyText(text, 'fuzz.json'), 'fuzz.json');
        } catch (error) {
          expect(error).toBeInstanceOf(PolicyError);
          for (const problem of (error as PolicyError).problems) {
            expect(problem.line).toBeGreaterThanOrEqual(1);
            expect(problem.column).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('durations and sizes parse or fail with a UserError, and round-trip', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        for (const parse of [parseDuration, parseSize]) {
          try {
            expect(parse(text)).toBeGreaterThanOrEqual(0);
          } catch (error) {
            expect(error).toBeInstanceOf(UserError);
          }
        }
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(['s', 1], ['m', 60], ['h', 3600], ['d', 86400], ['w', 604800])), { minLength: 1, maxLength: 4 }), (parts) => {
        const text = parts.map(([n, [unit]]) => `${n}${unit}`).join('');
        const seconds = parts.reduce((sum, [n, [, factor]]) => sum + n * (factor as number), 0);
        if (seconds <= MAX_DURATION_SECONDS) expect(parseDuration(text)).toBe(seconds);
        else expect(() => parseDuration(text)).toThrow(UserError);
      }),
    );
  });

  it('every minted token verifies with the public key and satisfies the policy', async () => {
    const key = await openSigningKey(await encryptToJwe(ec.privateKey, 'a passphrase for property tests'), 'a passphrase for property tests', { allowPlainKey: false });
    await fc.assert(
      fc.asyncProperty(
        fc.record({ audience: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), minutes: fc.integer({ min: 1, max: 24 * 60 }), batch: fc.integer({ min: 1, max: 3 }) }),
        async ({ audience, minutes, batch }) => {
          const resolved = resolvePolicy({ mint: { issuer: 'https://ci.example.test', lifetime: `${minutes}m` } }, 'test');
          const { tokens } = await mintTokens(resolved, { key, claimSets: Array.from({ length: batch }, () => ({ aud: audience })) });
          expect(tokens).toHaveLength(batch);
          for (const minted of tokens) {
            const { payload } = await jwtVerify(minted.token, ec.publicKey, { audience, issuer: 'https://ci.example.test' });
            expect(payload.exp! - payload.iat!).toBe(Math.min(minutes * 60, resolved.tokens.maxLifetime));
          }
          const verdicts = await checkTokens(tokens.map((t) => t.token), resolved, { local: [key.publicJwk], remote: [] });
          expect(verdicts.every((v) => v.valid)).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });
});
