import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { PolicyDocument } from '../../src/policy/types.js';
import { resolvePolicy } from '../../src/policy/load.js';
import { scanUnit } from '../../src/pipeline/scan-unit.js';
import type { Finding, UnitKind } from '../../src/types.js';
import * as t from '../helpers/tokens.js';

async function scanText(text: string, options: { kind?: UnitKind; path?: string; policy?: PolicyDocument; now?: number } = {}): Promise<Finding[]> {
  const policy = resolvePolicy(options.policy ?? {}, 'test');
  const result = await scanUnit({ path: options.path ?? 'config.txt', kind: options.kind ?? 'file', text }, policy, { now: options.now ?? t.NOW });
  return result.findings;
}
const rules = (findings: Finding[]) => findings.map((f) => f.ruleId).sort();
const only = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

describe('finding tokens wherever they leak', () => {
  it.each([
    ['bare', (tok: string) => tok],
    ['in double quotes', (tok: string) => `"${tok}"`],
    ['in single quotes', (tok: string) => `const token = '${tok}';`],
    ['after Bearer', (tok: string) => `Authorization: Bearer ${tok}`],
    ['in JSON', (tok: string) => JSON.stringify({ access_token: tok, token_type: 'Bearer' })],
    ['in YAML', (tok: string) => `auth:\n  token: ${tok}\n`],
  ])('%s, as committed-token', async (_name, wrap) => {
    const token = await t.es256();
    const text = wrap(token);
    const findings = await scanText(text);
    expect(rules(findings)).toEqual(['committed-token']);
    expect(findings[0]!.artifact).toMatchObject({ type: 'jwt', format: 'jws', alg: 'ES256', kid: 'k-2026', iss: 'https://id.example.test', aud: 'api' });
    const at = text.indexOf(token);
    expect(findings[0]!.column).toBe(at - text.lastIndexOf('\n', at));
  });

  it('a token-shaped string that cannot be a usable token is one note, and no rule judges its content', async () => {
    // java-jwt's tests: an HS256 header, no exp, no aud, a weak secret's shape, and a signature of 4 bytes
    const signed = await t.hmac('secret', { sub: 'x' });
    const [header, payload] = signed.split('.');
    const findings = await scanText(`String token = "${header}.${payload}.fooo";`);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['committed-token', 'note']]);
    expect(findings[0]!.message).toContain("not a usable token (its 3-byte signature cannot be HS256's, which is 32 bytes)");
    // the same token whole is judged by every rule
    expect(rules(await scanText(`String token = "${signed}";`))).toEqual(['committed-token', 'missing-claim', 'token-lifetime', 'weak-secret']);
  });

  it('with - and _ in the token, which other scanners cut short', async () => {
    const token = await t.withDashAndUnderscore();
    const [finding] = await scanText(`x=${token} y`);
    expect(finding!.endColumn - finding!.column).toBe(token.length);
  });

  it('in a log file and in JSON-lines logs, as token-in-log', async () => {
    const token = await t.es256();
    const jsonl = [JSON.stringify({ level: 'info', msg: 'start' }), JSON.stringify({ level: 'debug', headers: { authorization: `Bearer ${token}` } })].join('\n');
    const findings = await scanText(jsonl, { kind: 'log', path: 'logs/app.jsonl' });
    expect(rules(findings)).toEqual(['token-in-log']);
    expect(findings[0]!.line).toBe(2);
  });

  it.each([
    ['a query parameter', (tok: string) => `GET https://api.example.test/v1/items?page=2&access_token=${tok} HTTP/1.1`, 'access_token'],
    ['a fragment', (tok: string) => `redirect to https://app.example.test/callback#id_token=${tok}&state=xyz`, 'id_token'],
    ['a relative URL', (tok: string) => `<a href="/download?token=${tok}">`, 'token'],
  ])('in %s, as token-in-url in addition', async (_name, wrap, parameter) => {
    const findings = await scanText(wrap(await t.es256()));
    expect(rules(findings)).toEqual(['committed-token', 'token-in-url']);
    expect(only(findings, 'token-in-url')[0]!.message).toContain(`URL parameter '${parameter}'`);
  });

  it('a JWE (five parts, alg and enc)', async () => {
    const findings = await scanText(await t.jwe());
    expect(rules(findings)).toEqual(['committed-token']);
    expect(findings[0]!.artifact).toMatchObject({ type: 'jwe', format: 'jwe', alg: 'dir', enc: 'A256GCM' });
  });

  it('an unsecured token (alg none, empty signature) also gets disallowed-algorithm', async () => {
    expect(rules(await scanText(t.unsecured()))).toEqual(['committed-token', 'disallowed-algorithm']);
    expect(rules(await scanText(t.unsecured(t.goodClaims(), 'nOnE')))).toEqual(['committed-token', 'disallowed-algorithm']);
  });

  it('an expired token still counts, one severity lower, saying when it expired', async () => {
    const token = await t.es256(t.goodClaims({ iat: t.NOW - 7200 - 3 * 86400, exp: t.NOW - 3 * 86400 }));
    const [finding] = await scanText(token);
    expect(finding).toMatchObject({ ruleId: 'committed-token', severity: 'warning' });
    expect(finding!.message).toContain('it expired 3 d ago');
    const [inLog] = await scanText(token, { kind: 'log' });
    expect(inLog).toMatchObject({ ruleId: 'token-in-log', severity: 'warning' });
  });

  it('scanned CI job logs are token-in-log too', async () => {
    const [finding] = await scanText(`2026-11-23T10:00:00.0000000Z curl -H "Authorization: Bearer ${await t.es256()}"`, { kind: 'job-log', path: 'job-logs/build' });
    expect(finding!.ruleId).toBe('token-in-log');
    expect(finding!.message).toContain('a CI job log');
  });
});

describe('look-alikes stay quiet', () => {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ sub: '1' })).toString('base64url');
  it.each([
    ['an elided example', `${header}.${payload.slice(0, 8)}...`],
    ['a header without alg', `${Buffer.from(JSON.stringify({ typ: 'JWT' })).toString('base64url')}.${payload}.c2lnbmF0dXJl`],
    ['a header that is not JSON', `eyJub3QganNvbg.${payload}.c2lnbmF0dXJl`],
    ['a JSON array header', `${Buffer.from('["alg"]').toString('base64url')}.${payload}.c2ln`],
    ['a signed header with an empty signature', `${header}.${payload}.`],
    ['five parts without enc', `${header}.${payload}.aaaa.bbbb.cccc`],
    ['base64 of JSON inside a longer word', `xeyJhbGciOiJIUzI1NiJ9.${payload}.c2ln`],
    ['a dotted package name', 'eyJwackage.module.Class'],
  ])('%s', async (_name, text) => {
    expect(await scanText(text)).toEqual([]);
  });
});

describe('token-lifetime', () => {
  it('no exp is a finding', async () => {
    const [finding] = only(await scanText(await t.es256(t.goodClaims({ exp: undefined }))), 'token-lifetime');
    expect(finding).toMatchObject({ severity: 'warning', message: expect.stringContaining('has no exp: it never expires') });
  });

  it('judges the life from iat to exp, against tokens.maxLifetime', async () => {
    const month = await t.es256(t.goodClaims({ iat: t.NOW, exp: t.NOW + 30 * 86400 }));
    expect(only(await scanText(month), 'token-lifetime')[0]!.message).toMatch(/lives 30 d \(iat .* to exp .*\), longer than tokens\.maxLifetime \(1 d\)/);
    const hour = await t.es256(t.goodClaims({ iat: t.NOW, exp: t.NOW + 3600 }));
    expect(only(await scanText(hour), 'token-lifetime')).toEqual([]);
    const twoHours = await t.es256(t.goodClaims({ iat: t.NOW, exp: t.NOW + 7200 }));
    expect(only(await scanText(twoHours, { policy: { extends: 'strict' } }), 'token-lifetime')).toHaveLength(1);
    expect(only(await scanText(twoHours, { policy: { tokens: { maxLifetime: '2h' } } }), 'token-lifetime')).toEqual([]);
  });

  it('without iat, judges what is left before exp', async () => {
    const twentyYears = await t.es256(t.goodClaims({ iat: undefined, exp: t.NOW + 20 * 365 * 86400 }));
    expect(only(await scanText(twentyYears), 'token-lifetime')[0]!.message).toContain('has no iat and expires in 20 years');
  });
});

describe('missing-claim', () => {
  it('lists what tokens.requiredClaims asks for and the token lacks, and why aud matters', async () => {
    const [finding] = only(await scanText(await t.es256(t.goodClaims({ aud: undefined, iss: undefined }))), 'missing-claim');
    expect(finding!.message).toContain('lacks iss, aud (tokens.requiredClaims)');
    expect(finding!.message).toContain('RFC 8725 3.9');
  });

  it('strict requires iat and jti', async () => {
    const token = await t.es256(t.goodClaims({ jti: undefined }));
    expect(only(await scanText(token), 'missing-claim')).toEqual([]);
    expect(only(await scanText(token, { policy: { extends: 'strict' } }), 'missing-claim')[0]!.message).toContain('lacks jti');
  });
});

describe('insecure-header', () => {
  it.each([
    ['jku', { jku: 'https://attacker.example/jwks.json' }, 'jku points to a key set URL'],
    ['x5u', { x5u: 'https://attacker.example/cert.pem' }, 'x5u points to a certificate URL'],
    ['jwk', { jwk: { kty: 'OKP', crv: 'Ed25519', x: randomBytes(32).toString('base64url') } }, "jwk embeds the signer's own key"],
    ['x5c', { x5c: ['MIIB'] }, "x5c embeds the signer's own certificate chain"],
    ['a kid with path traversal', { kid: '../../../../dev/null' }, 'kid holds path'],
    ['a kid with SQL', { kid: "k1' UNION SELECT 'secret' --" }, 'kid holds path'],
    ['an unknown crit', { crit: ['exp'], exp: 1 }, "crit lists 'exp'"],
    ['zip on a JWS', { zip: 'DEF' }, 'zip on a JWS is not standard'],
  ])('%s', async (_name, extra, message) => {
    const [finding] = only(await scanText(t.withHeader({ alg: 'ES256', ...extra })), 'insecure-header');
    expect(finding).toMatchObject({ severity: 'error', message: expect.stringContaining(message) });
  });

  it('weak PBES2 parameters', async () => {
    const header = { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 10, p2s: randomBytes(4).toString('base64url') };
    const token = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${randomBytes(24).toString('base64url')}.${randomBytes(12).toString('base64url')}.${randomBytes(30).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
    const [finding] = only(await scanText(token), 'insecure-header');
    expect(finding!.message).toContain('PBES2 with 10 iterations (p2c)');
    expect(finding!.message).toContain('4-byte salt');
  });

  it('accepts what the policy allows, a plain kid, and crit b64', async () => {
    expect(only(await scanText(t.withHeader({ alg: 'ES256', x5c: ['MIIB'] }), { policy: { tokens: { allowedKeyHeaders: ['x5c'] } } }), 'insecure-header')).toEqual([]);
    expect(only(await scanText(t.withHeader({ alg: 'ES256', kid: 'prod-2026_01.a' })), 'insecure-header')).toEqual([]);
    // base64url kids (RFC 7638 thumbprints) hold '--' by chance; only an SQL comment beside white space counts
    expect(only(await scanText(t.withHeader({ alg: 'ES256', kid: 'Xq--9v_AbC' })), 'insecure-header')).toEqual([]);
    expect(only(await scanText(t.withHeader({ alg: 'ES256', kid: 'k1 -- drop the rest' })), 'insecure-header')).toHaveLength(1);
    expect(only(await scanText(t.withHeader({ alg: 'ES256', crit: ['b64'], b64: false })), 'insecure-header')).toEqual([]);
  });
});

describe('sensitive-claim', () => {
  it('names secret-like claims, never their values', async () => {
    const [finding] = only(await scanText(await t.es256(t.goodClaims({ db_password: 'hunter2-prod', apiKey: 'ak_live_123' }))), 'sensitive-claim');
    expect(finding!.message).toContain('claims named like secrets: db_password, apiKey');
    expect(finding!.message).not.toContain('hunter2');
    expect(finding!.message).not.toContain('ak_live');
  });

  it('reports personal data unless the policy allows it', async () => {
    const token = await t.es256(t.goodClaims({ email: 'ada@example.test', email_verified: true, phone_number: '+44 20 7946 0000' }));
    expect(only(await scanText(token), 'sensitive-claim')[0]!.message).toContain('personal data: email, phone_number');
    expect(only(await scanText(token, { policy: { tokens: { allowPersonalData: true } } }), 'sensitive-claim')).toEqual([]);
  });

  it('reports sequential numeric subjects, and not claims that merely mention a word', async () => {
    expect(only(await scanText(await t.es256(t.goodClaims({ sub: '1042' }))), 'sensitive-claim')[0]!.message).toContain('sequential numeric sub');
    expect(only(await scanText(await t.es256(t.goodClaims({ password_changed_at: t.NOW, has_secret: true }))), 'sensitive-claim')).toEqual([]);
  });
});

describe('weak-secret', () => {
  it.each([
    ['your-256-bit-secret', 'HS256', 'a default from JWT tutorials and templates'],
    ['changeme', 'HS512', 'and only 8 bytes long, shorter than the 64 HS512 needs'],
    ['sunshine', 'HS384', 'one of the most common passwords'],
  ])("finds '%s' (%s) and never prints it", async (secret, alg, message) => {
    const [finding] = only(await scanText(await t.hmac(secret, t.goodClaims(), alg)), 'weak-secret');
    expect(finding).toMatchObject({ severity: 'error', message: expect.stringContaining(message) });
    expect(finding!.message).toContain('anyone can forge tokens');
    expect(JSON.stringify(finding)).not.toContain(secret);
  });

  it('stays quiet for a random secret and for asymmetric tokens', async () => {
    expect(only(await scanText(await t.hmac(randomBytes(32))), 'weak-secret')).toEqual([]);
    expect(only(await scanText(await t.es256()), 'weak-secret')).toEqual([]);
  });
});

describe('disallowed-algorithm on token headers', () => {
  it('HS256 under strict, and unknown algorithms', async () => {
    const hs = await t.hmac(randomBytes(32));
    expect(only(await scanText(hs, { policy: { extends: 'strict' } }), 'disallowed-algorithm')[0]!.message).toMatch(/^JWT \(alg HS256, .*\) names a disallowed algorithm: 'HS256' is not in algorithms\.allow/);
    expect(only(await scanText(t.withHeader({ alg: 'HS1' })), 'disallowed-algorithm')).toHaveLength(1);
    expect(only(await scanText(hs), 'disallowed-algorithm')).toEqual([]);
  });
});

describe('a good token in a file is only committed-token', () => {
  it('and its message shows header facts and a short prefix, never the token', async () => {
    const token = await t.es256();
    const findings = await scanText(token);
    expect(rules(findings)).toEqual(['committed-token']);
    const text = JSON.stringify(findings);
    expect(text).not.toContain(token.split('.')[1]!.slice(0, 16));
    expect(text).not.toContain(token.split('.')[2]!.slice(0, 16));
    expect(findings[0]!.message).toContain(`${token.slice(0, 12)}…`);
  });
});
