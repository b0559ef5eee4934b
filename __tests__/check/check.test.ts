import { describe, expect, it } from '@jest/globals';
import { randomBytes, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, type JWTPayload } from 'jose';
import { resolvePolicy } from '../../src/policy/load.js';
import type { PolicyDocument } from '../../src/policy/types.js';
import { runCheck } from '../../src/check/run.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';
import { NOW, goodClaims } from '../helpers/tokens.js';

const rsa = k.keyPair({ type: 'rsa', bits: 2048 }, true);
const ec = k.keyPair({ type: 'ec', curve: 'P-256' }, true);
const ed = k.keyPair({ type: 'ed25519' }, true);
const stranger = k.keyPair({ type: 'ec', curve: 'P-256' }, true);
const hmacSecret = randomBytes(32).toString('base64url');

const jwks = { keys: [{ ...k.jwk(rsa.publicKey), kid: 'rsa-1', alg: 'RS256' }, { ...k.jwk(ec.publicKey), kid: 'ec-1' }, { ...k.jwk(ed.publicKey), kid: 'ed-1' }] };
const basePolicy: PolicyDocument = { tokens: { trustedKeys: ['keys/jwks.json'], issuers: ['https://id.example.test'], audiences: ['api'] } };

async function sign(key: KeyObject | Uint8Array, alg: string, kid: string | undefined, claims: JWTPayload = goodClaims(), header: Record<string, unknown> = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}), ...header }).sign(key);
}
const es = (claims?: JWTPayload, header?: Record<string, unknown>) => sign(ec.privateKey, 'ES256', 'ec-1', claims, header);

async function check(tokens: string[], policy: PolicyDocument = basePolicy, extraFiles: Record<string, string> = {}) {
  const repo = tempTree({ 'keys/jwks.json': JSON.stringify(jwks), ...extraFiles });
  try {
    return await runCheck(resolvePolicy(policy, 'test'), { tokens, base: repo.dir, hmacSecret, now: NOW });
  } finally {
    repo.cleanup();
  }
}
const verdict = async (token: string, policy?: PolicyDocument) => {
  const [result] = await check([token], policy);
  return result!.valid ? 'valid' : `${result!.failure!.ruleId}: ${result!.failure!.message.replace(/^Token 1, .*?, is refused: /, '').replace(/\.$/, '')}`;
};
const b64 = (value: string) => Buffer.from(value).toString('base64url');

describe('check: valid tokens of every key family', () => {
  it.each([
    ['RS256 (RSA)', () => sign(rsa.privateKey, 'RS256', 'rsa-1')],
    ['ES256 (EC P-256)', () => es()],
    ['EdDSA (Ed25519)', () => sign(ed.privateKey, 'EdDSA', 'ed-1')],
    ['HS256 (HMAC secret)', () => sign(new TextEncoder().encode(hmacSecret), 'HS256', undefined)],
  ])('%s', async (_name, make) => {
    expect(await verdict(await make())).toBe('valid');
  });

  it('selects the key by kid among several, and reports facts without the token', async () => {
    const token = await es(goodClaims({ sub: 'svc-deploy' }));
    const [result] = await check([token]);
    expect(result).toMatchObject({ valid: true, facts: { alg: 'ES256', kid: 'ec-1', iss: 'https://id.example.test', aud: 'api' } });
    // the subject may be personal data: never shown
    expect(result!.facts).not.toHaveProperty('sub');
    expect(JSON.stringify(result)).not.toContain(token.split('.')[2]);
  });

  it('trusts PEM public keys and certificates, whose kid is their RFC 7638 thumbprint', async () => {
    const { calculateJwkThumbprint } = await import('jose');
    const kid = await calculateJwkThumbprint(k.jwk(stranger.publicKey) as never);
    const token = await sign(stranger.privateKey, 'ES256', kid);
    const policy = { tokens: { ...basePolicy.tokens, trustedKeys: ['keys/jwks.json', 'keys/service.pem'] } };
    const repo = tempTree({ 'keys/jwks.json': JSON.stringify(jwks), 'keys/service.pem': k.spki(stranger.publicKey) });
    try {
      const [result, other] = await runCheck(resolvePolicy(policy, 't'), { tokens: [token, await sign(stranger.privateKey, 'ES256', 'svc-2026')], base: repo.dir, now: NOW });
      expect(result!.valid).toBe(true);
      // the same key under the kid its signer chose: the message says why it does not match, and what to do
      expect(other!.failure!.message).toContain(`kid 'svc-2026', which no key in tokens.trustedKeys has;`);
      expect(other!.failure!.message).toContain(`'${kid}'`);
      expect(other!.failure!.message).toContain("a key read from a PEM file or a certificate has its RFC 7638 thumbprint as kid: to match the token, put the key in a JWKS with the token's kid");
    } finally {
      repo.cleanup();
    }
  });
});

/** Table rows as objects: one parameter, so Jest never mistakes a policy for a done callback. */
const row = <T>(name: string, make: () => Promise<string> | string, expected: T, policy?: PolicyDocument) => ({ name, make, expected, policy });

describe('check: each failure, with a reason a person can act on', () => {
  it.each([
    row('not a JWS', () => 'eyJhbGciOiJFUzI1NiJ9.only-two', /^token-signature: it is not a compact JWS/),
    row('a header with a duplicate member', async () => { const [, p, s] = (await es()).split('.'); return `${b64('{"alg":"ES256","alg":"none"}')}.${p}.${s}`; }, /^token-signature: its header is ambiguous: duplicate member 'alg'/),
    row('claims that are not UTF-8', async () => { const [h, , s] = (await es()).split('.'); return `${h}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.${s}`; }, /^token-signature: its claims set is not UTF-8/),
    row('a disallowed algorithm', () => sign(new TextEncoder().encode(hmacSecret), 'HS256', undefined), /^disallowed-algorithm: 'HS256' is not in algorithms\.allow/, { ...basePolicy, extends: 'strict' }),
    row('a key-carrying header', () => es(goodClaims(), { jku: 'http://127.0.0.1:9/jwks' }), /^insecure-header: jku points to a key set URL/),
    row('the wrong typ', () => es(), /^token-type: its typ 'JWT' and tokens\.type is 'at\+jwt'/, { tokens: { ...basePolicy.tokens, type: 'at+jwt' } }),
    row('an unknown kid', () => sign(stranger.privateKey, 'ES256', 'k7'), /^token-signature: it is signed with kid 'k7', which no key in tokens\.trustedKeys has; the \d trusted keys have kid 'rsa-1', 'ec-1', 'ed-1'/),
    row('a signature by another key', () => sign(stranger.privateKey, 'ES256', 'ec-1'), /^token-signature: its signature does not verify against the trusted key with kid 'ec-1'/),
    row('an HS token and no secret to check it with', () => sign(new TextEncoder().encode('other-secret-other-secret-other!!'), 'HS256', undefined), /^token-signature: its signature does not verify/),
    row('expiry', () => es(goodClaims({ iat: NOW - 4 * 3600, exp: NOW - 3 * 3600 })), /^token-expired: it expired 3 h ago \(exp \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/),
    row('a future nbf', () => es(goodClaims({ nbf: NOW + 7200 })), /^token-expired: it is not valid before .* \(in 2 h\)$/),
    row('a future iat', () => es(goodClaims({ iat: NOW + 600 })), /^token-expired: it was issued in the future .* 10 min ahead/),
    row('a long life', () => es(goodClaims({ iat: NOW - 60, exp: NOW + 7 * 86400 })), /^token-lifetime: it lives 7 d \(iat .* to exp .*\), longer than tokens\.maxLifetime \(1 d\)$/),
    row('no exp', () => es(goodClaims({ exp: undefined })), /^token-lifetime: it has no exp/),
    row('a foreign issuer', () => es(goodClaims({ iss: 'https://evil.example' })), /^token-issuer: issuer 'https:\/\/evil\.example' is not one of \[https:\/\/id\.example\.test\]$/),
    row('no audience', () => es(goodClaims({ aud: undefined })), /^token-audience: it has no aud: a token without an audience must be refused \(RFC 8725 3\.9\)$/),
    row('another audience', () => es(goodClaims({ aud: 'api-dev' })), /^token-audience: audience 'api-dev' is not one of \[api\]$/),
    row('a missing required claim', () => es(goodClaims({ jti: undefined })), /^missing-claim: it lacks jti/, { ...basePolicy, extends: 'strict', tokens: { ...basePolicy.tokens, maxLifetime: '2h' } }),
  ])('$name', async ({ make, expected, policy }) => {
    expect(await verdict(await make(), policy)).toMatch(expected);
  });
});

describe('check: the first failure wins', () => {
  it.each([
    row('disallowed alg before a bad signature and expiry', () => sign(new TextEncoder().encode('wrong-secret-wrong-secret-wrong!!'), 'HS256', undefined, goodClaims({ exp: NOW - 10, aud: 'x' })), 'disallowed-algorithm', { ...basePolicy, extends: 'strict' }),
    row('a bad signature before expiry and audience', () => sign(stranger.privateKey, 'ES256', 'ec-1', goodClaims({ exp: NOW - 3600, iat: NOW - 7200, aud: 'x' })), 'token-signature'),
    row('expiry before issuer and audience', () => es(goodClaims({ exp: NOW - 3600, iat: NOW - 7200, iss: 'x', aud: 'y' })), 'token-expired'),
    row('issuer before audience', () => es(goodClaims({ iss: 'x', aud: 'y' })), 'token-issuer'),
    row('audience before required claims', () => es(goodClaims({ aud: 'y', iss: undefined })), 'token-audience', { tokens: { ...basePolicy.tokens, issuers: [] } }),
  ])('$name', async ({ make, expected, policy }) => {
    expect((await verdict(await make(), policy)).split(':')[0]).toBe(expected);
  });

  it('a rule turned off skips its check', async () => {
    const token = await es(goodClaims({ aud: 'api-dev' }));
    expect(await verdict(token, { ...basePolicy, rules: { 'token-audience': 'off' } })).toBe('valid');
  });
});

describe('check: JWKS URLs', () => {
  it('fetches an allowed JWKS URL, and never the jku a token names', async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [{ ...k.jwk(stranger.publicKey), kid: 'remote-1' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const policy: PolicyDocument = { tokens: { ...basePolicy.tokens, jwksUrls: [`${base}/.well-known/jwks.json`], allowedKeyHeaders: ['jku'] } };
      const good = await sign(stranger.privateKey, 'ES256', 'remote-1');
      const pointing = await sign(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey, 'ES256', 'attacker-1', goodClaims(), { jku: `${base}/attacker/jwks.json` });
      const [first, second] = await check([good, pointing], policy);
      expect(first!.valid).toBe(true);
      expect(second!.failure!.message).toContain("it is signed with kid 'attacker-1', which no key in tokens.trustedKeys or the JWKS at tokens.jwksUrls has;");
      expect(requests.every((url) => url === '/.well-known/jwks.json')).toBe(true);
      expect(requests.length).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
