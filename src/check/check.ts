import { jwtVerify } from 'jose';
import { describeToken, tokenSummary } from '../analyze/describe.js';
import { analyzeToken } from '../analyze/tokens.js';
import { fingerprint } from '../engine.js';
import { formatDuration } from '../policy/duration.js';
import type { Policy } from '../policy/types.js';
import { judgeAlgorithm } from '../rules/algorithms.js';
import { headerProblems } from '../rules/insecure-header.js';
import { secretSource, WELL_KNOWN_SECRETS } from '../rules/data/well-known-secrets.js';
import type { Finding, Severity, TokenFacts } from '../types.js';
import { strictJsonObjectProblem } from '../util/json.js';
import { keyResolver, type KeySources } from './keys.js';
import { errorCode } from '../errors.js';
import { isoTime as iso } from '../util/time.js';

export interface CheckedToken {
  /** 1-based position among the tokens given. */
  index: number;
  valid: boolean;
  /** Non-secret facts: header members, issuer, audience, subject, times. */
  facts: Record<string, unknown>;
  /** The first failure, when invalid. */
  failure?: Finding;
}

const list = (values: readonly string[]) => `[${values.join(', ')}]`;

class Failure {
  constructor(
    readonly ruleId: string,
    readonly reason: string,
  ) {}
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A value that is not a token, described by its length and shape only: it may be a secret pasted in the wrong place. */
function shapeOf(value: string): string {
  const parts = value.split('.');
  const shape = parts.length === 1 ? 'no dots' : `${parts.length} dot-separated parts`;
  return `${value.length} character${value.length === 1 ? '' : 's'}, ${shape}`;
}

/** Parse strictly: three base64url parts, a UTF-8 JSON object header and claims set, no duplicate members. */
function parseProblem(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length === 5) return 'it is a JWE: encrypted tokens cannot be checked without the decryption key';
  if (parts.length !== 3 || parts.some((part, i) => (i < 2 && part.length === 0) || !/^[A-Za-z0-9_-]*$/.test(part))) return 'it is not a compact JWS (three base64url parts)';
  for (const [name, part] of [['header', parts[0]!], ['claims set', parts[1]!]] as const) {
    let text: string;
    try {
      text = decoder.decode(Buffer.from(part, 'base64url'));
    } catch {
      return `its ${name} is not UTF-8`;
    }
    const problem = strictJsonObjectProblem(text);
    if (problem) return `its ${name} is ${problem.startsWith('duplicate') ? `ambiguous: ${problem}` : problem}`;
  }
  return undefined;
}

/** jose's verdict on the signature (and exp/nbf), as a failure in jwt-guard's terms. */
function verificationFailure(error: unknown, facts: TokenFacts, now: number): Failure {
  const claims = facts.claims ?? {};
  switch (errorCode(error)) {
    case 'ERR_NO_TRUSTED_KEY':
      return new Failure('token-signature', (error as Error).message);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new Failure('token-signature', `its signature does not verify against the trusted key${facts.header.kid ? ` with kid '${String(facts.header.kid).slice(0, 80)}'` : ''}: it was altered or signed by someone else`);
    case 'ERR_JWT_EXPIRED': {
      const exp = claims.exp as number;
      return new Failure('token-expired', `it expired ${formatDuration(now - exp)} ago (exp ${iso(exp)})`);
    }
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (error as { claim?: string }).claim;
      if (claim === 'nbf' && typeof claims.nbf === 'number') return new Failure('token-expired', `it is not valid before ${iso(claims.nbf)} (in ${formatDuration(claims.nbf - now)})`);
      return new Failure('token-signature', `jose refused its ${claim ?? 'claims'}: ${(error as Error).message}`);
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new Failure('disallowed-algorithm', `its alg ${facts.alg} is not allowed`);
    default:
      return new Failure('token-signature', `it cannot be verified: ${(error as Error)?.message ?? String(error)}`);
  }
}

/** The checks after the signature, in order: iat, lifetime, issuer, audience, required claims. */
function claimFailure(claims: Record<string, unknown>, policy: Policy, now: number, on: (ruleId: string) => boolean): Failure | undefined {
  const tolerance = policy.tokens.clockTolerance;
  const { exp, iat, iss, aud } = claims;
  if (on('token-expired') && typeof iat === 'number' && iat > now + tolerance) return new Failure('token-expired', `it was issued in the future (iat ${iso(iat)}, ${formatDuration(iat - now)} ahead, beyond tokens.clockTolerance of ${formatDuration(tolerance)})`);
  const max = policy.tokens.maxLifetime;
  if (on('token-lifetime') && typeof exp !== 'number') return new Failure('token-lifetime', 'it has no exp: it never expires');
  if (on('token-lifetime') && typeof exp === 'number') {
    const life = typeof iat === 'number' ? exp - iat : exp - now;
    if (life > max) return new Failure('token-lifetime', `it lives ${formatDuration(life)}${typeof iat === 'number' ? ` (iat ${iso(iat)} to exp ${iso(exp)})` : ' (no iat)'}, longer than tokens.maxLifetime (${formatDuration(max)})`);
  }
  const issuers = policy.tokens.issuers;
  if (on('token-issuer') && issuers.length > 0) {
    if (typeof iss !== 'string') return new Failure('token-issuer', `it has no iss, and tokens.issuers is ${list(issuers)}`);
    if (!issuers.includes(iss)) return new Failure('token-issuer', `issuer '${iss.slice(0, 120)}' is not one of ${list(issuers)}`);
  }
  const audiences = Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : typeof aud === 'string' ? [aud] : [];
  if (on('token-audience') && audiences.length === 0) return new Failure('token-audience', 'it has no aud: a token without an audience must be refused (RFC 8725 3.9)');
  const allowed = policy.tokens.audiences;
  if (on('token-audience') && allowed.length > 0 && audiences.length > 0 && !audiences.some((a) => allowed.includes(a))) {
    return new Failure('token-audience', `audience ${audiences.length === 1 ? `'${audiences[0]!.slice(0, 120)}'` : list(audiences.map((a) => a.slice(0, 60)))} is not one of ${list(allowed)}`);
  }
  const missing = policy.tokens.requiredClaims.filter((name) => claims[name] === undefined);
  if (on('missing-claim') && missing.length > 0) return new Failure('missing-claim', `it lacks ${missing.join(', ')} (tokens.requiredClaims)`);
  return undefined;
}

/**
 * Verifies tokens the way a careful API would, rejecting each at its first failure:
 * parse strictly; header (algorithm, key headers, typ, crit); signature with the trusted
 * keys (jose jwtVerify, with the policy's algorithm allowlist, exp and nbf); then iat,
 * lifetime, issuer, audience and required claims. A rule turned off in the policy skips
 * its check.
 */
export async function checkTokens(tokens: string[], policy: Policy, keys: KeySources, now = Math.floor(Date.now() / 1000)): Promise<CheckedToken[]> {
  const resolver = keyResolver(keys);
  const on = (ruleId: string) => policy.rules[ruleId]?.severity !== 'off';
  const results: CheckedToken[] = [];
  for (const [position, raw] of tokens.entries()) {
    const token = raw.trim();
    const index = position + 1;
    const facts = analyzeToken({ type: 'jwt', span: { start: 0, end: token.length }, raw: token });
    // The token's non-secret facts; never its subject (personal data), and nothing of a value that is not a token.
    const summary = facts ? tokenSummary(facts) : { shape: shapeOf(token) };
    const failure = await firstFailure(token, facts, policy, keys, resolver, now, on);
    if (!failure) {
      results.push({ index, valid: true, facts: summary });
      continue;
    }
    const what = facts ? describeToken(facts) : `a value that is not a JWT (${shapeOf(token)})`;
    const file = `<token ${index}>`;
    const severity: Severity = 'error';
    results.push({
      index,
      valid: false,
      facts: summary,
      failure: {
        ruleId: failure.ruleId,
        severity,
        file,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: token.length + 1,
        message: `Token ${index}, ${what}, is refused: ${failure.reason}.`,
        fingerprint: fingerprint(failure.ruleId, file, facts?.digest ?? shapeOf(token)),
        unitKind: 'input',
        artifact: { type: 'jwt', ...summary },
      },
    });
  }
  return results;
}

/**
 * Whether the HMAC secret given to verify HS* tokens with is one anyone could use to
 * forge them: a well-known secret, or one shorter than keys.minHmacBits or the hash of
 * the token's algorithm. A token that verifies with such a secret proves nothing.
 */
function weakHmacSecret(secret: Uint8Array, alg: string, policy: Policy): string | undefined {
  const hashBits = Number(/^HS(256|384|512)$/.exec(alg)?.[1] ?? 0);
  const needed = Math.max(policy.keys.minHmacBits, hashBits);
  const text = new TextDecoder().decode(secret);
  if (wellKnown().has(text)) return `the HMAC secret given to check it with is a well-known secret (${secretSource(text)}): anyone can forge tokens that verify with it. Rotate it to ${needed / 8} random bytes`;
  if (secret.length * 8 < needed) return `the HMAC secret given to check it with is ${secret.length * 8} bits, under the ${needed} that ${needed === hashBits ? alg : 'keys.minHmacBits'} needs: short secrets are found by brute force`;
  return undefined;
}

let wellKnownSet: ReadonlySet<string> | undefined;
const wellKnown = () => (wellKnownSet ??= new Set(WELL_KNOWN_SECRETS));

async function firstFailure(token: string, facts: TokenFacts | undefined, policy: Policy, keys: KeySources, resolver: ReturnType<typeof keyResolver>, now: number, on: (ruleId: string) => boolean): Promise<Failure | undefined> {
  const parse = parseProblem(token);
  if (parse || !facts) return new Failure('token-signature', parse ?? 'its header does not name an algorithm');
  const verdict = judgeAlgorithm(facts.alg, policy.algorithms);
  if (!verdict.allowed && on('disallowed-algorithm')) return new Failure('disallowed-algorithm', verdict.reason);
  const headers = headerProblems(facts.header, policy.tokens.allowedKeyHeaders);
  if (headers.length > 0 && on('insecure-header')) return new Failure('insecure-header', headers[0]!);
  const expectedType = policy.tokens.type;
  if (expectedType && on('token-type') && String(facts.header.typ ?? '').toLowerCase() !== expectedType.toLowerCase()) {
    return new Failure('token-type', `its typ ${facts.header.typ === undefined ? 'is missing' : `'${String(facts.header.typ).slice(0, 40)}'`} and tokens.type is '${expectedType}'`);
  }
  if (keys.hmacSecret && /^HS(256|384|512)$/.test(facts.alg) && on('weak-secret')) {
    const weak = weakHmacSecret(keys.hmacSecret, facts.alg, policy);
    if (weak) return new Failure('weak-secret', weak);
  }
  try {
    await jwtVerify(token, resolver, {
      algorithms: policy.algorithms.allow.filter((alg) => judgeAlgorithm(alg, policy.algorithms).allowed),
      clockTolerance: policy.tokens.clockTolerance,
      currentDate: new Date(now * 1000),
    });
  } catch (error) {
    const failure = verificationFailure(error, facts, now);
    if (on(failure.ruleId)) return failure;
  }
  return claimFailure(facts.claims ?? {}, policy, now, on);
}
