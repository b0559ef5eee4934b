import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { PolicyError } from '../../src/errors.js';
import { parsePolicyText } from '../../src/policy/load.js';
import type { PolicyDocument } from '../../src/policy/types.js';
import { judgeAlgorithm } from '../../src/jose/algorithms.js';
import * as k from '../helpers/keys.js';
import { findingsIn } from '../helpers/scan.js';

const ec = k.keyPair({ type: 'ec', curve: 'P-256' }).publicKey;
const jwkWith = (alg: string) => JSON.stringify({ ...k.jwk(ec), alg, kid: 'signing-2026' });
const hmacWith = (alg: string) => JSON.stringify({ kty: 'oct', k: randomBytes(64).toString('base64url'), alg });
const disallowed = async (text: string, policy?: PolicyDocument) => (await findingsIn(text, policy ? { policy } : {})).filter((f) => f.ruleId === 'disallowed-algorithm');

describe('disallowed-algorithm on JWK alg', () => {
  it.each(['none', 'None', 'nOnE', 'NONE'])("refuses '%s' always", async (alg) => {
    const [finding] = await disallowed(jwkWith(alg));
    expect(finding!.message).toContain(`'${alg}' means no signature at all, and is never allowed (RFC 8725 3.2)`);
  });

  it('refuses RSA1_5 always', async () => {
    const rsa = k.keyPair({ type: 'rsa', bits: 2048 }).publicKey;
    const [finding] = await disallowed(JSON.stringify({ ...k.jwk(rsa), alg: 'RSA1_5' }));
    expect(finding!.message).toContain('padding-oracle');
  });

  it('accepts what the recommended policy allows', async () => {
    expect(await disallowed(jwkWith('ES256'))).toEqual([]);
    expect(await disallowed(hmacWith('HS512'))).toEqual([]);
  });

  it('refuses unknown algorithms, and HMAC under strict', async () => {
    expect((await disallowed(jwkWith('ES257')))[0]!.message).toMatch(/'ES257' is not in algorithms\.allow \[RS256, /);
    expect((await disallowed(hmacWith('HS256'), { extends: 'strict' }))[0]!.message).toContain("'HS256' is not in algorithms.allow");
  });

  it('follows algorithms.allow and algorithms.deny', async () => {
    expect(await disallowed(jwkWith('ES256'), { algorithms: { allow: ['EdDSA'] } })).toHaveLength(1);
    expect(await disallowed(jwkWith('ES256'), { algorithms: { deny: ['ES256'] } })).toHaveLength(1);
    expect((await disallowed(jwkWith('ES256'), { algorithms: { deny: ['ES256'] } }))[0]!.message).toContain("'ES256' is in algorithms.deny");
  });

  it('names the key, its kid and its alg in the message', async () => {
    const [finding] = await disallowed(jwkWith('none'));
    expect(finding!.message).toMatch(/^EC P-256 public key \(JWK, thumbprint [\w-]{43}, kid 'signing-2026', alg none\) names a disallowed algorithm/);
  });

  it('the judgement is reusable for token headers', () => {
    expect(judgeAlgorithm('ES256', { allow: ['ES256'], deny: [] })).toEqual({ allowed: true });
    expect(judgeAlgorithm('none', { allow: ['none'], deny: [] }).allowed).toBe(false);
  });
});

describe('disallowed-algorithm in the schema', () => {
  it.each(['none', 'NoNe', 'RSA1_5'])("the policy cannot allow '%s'", (alg) => {
    expect(() => parsePolicyText(JSON.stringify({ algorithms: { allow: ['ES256', alg] } }), 'p.json')).toThrow(PolicyError);
    try {
      parsePolicyText(JSON.stringify({ algorithms: { allow: ['ES256', alg] } }), 'p.json');
    } catch (error) {
      expect((error as PolicyError).problems[0]).toMatchObject({ pointer: '/algorithms/allow/1', message: expect.stringContaining("'none' and 'RSA1_5' are never allowed") });
    }
  });
});
