import { jwtVerify } from 'jose';
import { describeToken, tokenSummary } from '../analyze/describe.js';
import { analyzeToken } from '../analyze/tokens.js';
import { fingerprint } from '../fingerprint.js';
import { formatDuration } from '../util/format.js';
import type { Policy } from '../policy/types.js';
import { judgeAlgorithm } from '../jose/algorithms.js';
import { disallowedAlgorithm } from '../rules/disallowed-algorithm.js';
import { insecureHeader } from '../rules/insecure-header.js';
import { missingClaim } from '../rules/missing-claim.js';
import { tokenAudience } from '../rules/token-audience.js';
import { tokenExpired } from '../rules/token-expired.js';
import { tokenIssuer } from '../rules/token-issuer.js';
import { tokenLifetime } from '../rules/token-lifetime.js';
import { tokenSignature } from '../rules/token-signature.js';
import { tokenType } from '../rules/token-type.js';
import { formatMessage, type Rule, type RuleReport, type VerifyContext } from '../rules/types.js';
import { weakSecret } from '../rules/weak-secret.js';
import type { Finding, Severity, TokenFacts } from '../types.js';
import { strictJsonObjectProblem } from '../util/json.js';
import { keyResolver, type KeySources } from './keys.js';
import { errorCode } from '../errors.js';
import { isoTime as iso } from '../util/format.js';

export interface CheckedToken {
  /** 1-based position among the tokens given. */
  index: number;
  valid: boolean;
  /** Non-secret facts: header members, issuer, audience, subject, times. */
  facts: Record<string, unknown>;
  /** The first failure, when invalid. */
  failure?: Finding;
  /** Why it was refused, as the refusing rule words it (the failure's message without the token's description). */
  reason?: string;
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

/** A refusal: the rule that refuses, and its report. */
interface Failure {
  rule: Rule;
  report: RuleReport;
}

/** The rules that judge a token before its signature is verified, and after, in the order a careful API applies them. */
const HEADER_RULES: readonly Rule[] = [disallowedAlgorithm, insecureHeader, tokenType, weakSecret];
const CLAIM_RULES: readonly Rule[] = [tokenExpired, tokenLifetime, tokenIssuer, tokenAudience, missingClaim];

/** jose's verdict on the signature (and exp/nbf), as a refusal by the rule it belongs to. */
function verificationFailure(error: unknown, facts: TokenFacts, now: number): Failure {
  const claims = facts.claims ?? {};
  switch (errorCode(error)) {
    case 'ERR_NO_TRUSTED_KEY':
      return { rule: tokenSignature, report: { messageId: 'noTrustedKey', data: { reason: (error as Error).message } } };
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return { rule: tokenSignature, report: { messageId: 'badSignature', data: { kid: facts.header.kid ? ` with kid '${String(facts.header.kid).slice(0, 80)}'` : '' } } };
    case 'ERR_JWT_EXPIRED': {
      const exp = claims.exp as number;
      return { rule: tokenExpired, report: { messageId: 'expired', data: { ago: formatDuration(now - exp), exp: iso(exp) } } };
    }
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (error as { claim?: string }).claim;
      if (claim === 'nbf' && typeof claims.nbf === 'number') return { rule: tokenExpired, report: { messageId: 'notYetValid', data: { nbf: iso(claims.nbf), wait: formatDuration(claims.nbf - now) } } };
      return { rule: tokenSignature, report: { messageId: 'claimRefused', data: { claim: claim ?? 'claims', reason: (error as Error).message } } };
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return { rule: disallowedAlgorithm, report: { messageId: 'refusedByVerifier', data: { alg: facts.alg } } };
    default:
      return { rule: tokenSignature, report: { messageId: 'unverifiable', data: { reason: (error as Error)?.message ?? String(error) } } };
  }
}

/** The first refusal among `rules`' hook, skipping rules the policy turns off. */
function firstRefusal(rules: readonly Rule[], hook: 'verifyHeader' | 'verifyClaims', context: VerifyContext, on: (ruleId: string) => boolean): Failure | undefined {
  for (const rule of rules) {
    if (!on(rule.meta.id)) continue;
    const report = rule[hook]?.(context);
    if (report) return { rule, report };
  }
  return undefined;
}

/**
 * Verifies tokens the way a careful API would, rejecting each at its first failure:
 * parse strictly; the header rules (algorithm, key headers, typ, the HMAC secret's
 * strength); the signature with the trusted keys (jose jwtVerify, with the policy's
 * algorithm allowlist, exp and nbf); then the claim rules (iat, lifetime, issuer,
 * audience, required claims). Each judgement is the rule's own (its verify hooks and
 * messages); a rule turned off in the policy skips its check.
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
    const ruleId = failure.rule.meta.id;
    const reason = formatMessage(failure.rule.meta, failure.report);
    results.push({
      index,
      valid: false,
      facts: summary,
      reason,
      failure: {
        ruleId,
        severity,
        file,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: token.length + 1,
        message: `Token ${index}, ${what}, is refused: ${reason}.`,
        messageId: failure.report.messageId,
        fingerprint: fingerprint(ruleId, file, facts?.digest ?? shapeOf(token)),
        unitKind: 'input',
        artifact: { type: 'jwt', ...summary },
      },
    });
  }
  return results;
}

async function firstFailure(token: string, facts: TokenFacts | undefined, policy: Policy, keys: KeySources, resolver: ReturnType<typeof keyResolver>, now: number, on: (ruleId: string) => boolean): Promise<Failure | undefined> {
  const parse = parseProblem(token);
  if (parse) return { rule: tokenSignature, report: { messageId: 'malformed', data: { reason: parse } } };
  if (!facts) return { rule: tokenSignature, report: { messageId: 'noAlg' } };
  const context: VerifyContext = { facts, policy, now, ...(keys.hmacSecret ? { hmacSecret: keys.hmacSecret } : {}) };
  const header = firstRefusal(HEADER_RULES, 'verifyHeader', context, on);
  if (header) return header;
  try {
    await jwtVerify(token, resolver, {
      algorithms: policy.algorithms.allow.filter((alg) => judgeAlgorithm(alg, policy.algorithms).allowed),
      clockTolerance: policy.tokens.clockTolerance,
      currentDate: new Date(now * 1000),
    });
  } catch (error) {
    const failure = verificationFailure(error, facts, now);
    if (on(failure.rule.meta.id)) return failure;
  }
  return firstRefusal(CLAIM_RULES, 'verifyClaims', context, on);
}
