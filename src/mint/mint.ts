import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { describeKeyObject } from '../analyze/public-key.js';
import { analyzeToken } from '../analyze/tokens.js';
import { checkTokens } from '../check/check.js';
import { UserError } from '../errors.js';
import { formatDuration, bracketList } from '../util/format.js';
import type { Policy } from '../policy/types.js';
import { judgeAlgorithm, keyRequirement, MINT_ALGORITHMS } from '../jose/algorithms.js';
import { RULES } from '../rules/index.js';
import { formatMessage } from '../rules/types.js';
import { keyWeaknesses } from '../rules/weak-key.js';
import type { KeyFacts } from '../types.js';
import type { SigningKey } from './keys.js';

/** Claims only the minting run sets. */
const RESERVED = ['iat', 'nbf', 'exp', 'jti'];
/** iat is set this far in the past, so that verifiers whose clocks run a little behind accept the token at once. */
export const BACKDATE_SECONDS = 5;

export interface MintRequest {
  key: SigningKey;
  /** The claims input: one claim set, or several for a batch. */
  claimSets?: Array<Record<string, unknown>>;
  /** The audience input, overriding aud. */
  audience?: string;
  /** GitHub context claims (repository, ref, sha, run_id, ...), when include-github-context is on. */
  githubContext?: Record<string, string>;
  now?: number;
}

export interface MintedToken {
  token: string;
  jti: string;
  kid: string;
  aud: string | string[];
  /** exp, in seconds. */
  exp: number;
  expiresAt: string;
}

export interface MintResult {
  tokens: MintedToken[];
  /** Things the user should know that did not stop the mint (a capped lifetime, a plain key). */
  warnings: string[];
}

/**
 * Claim sets from JSON text (the claims input or --claims): one object, or a non-empty
 * array of objects for a batch. `where` names the input in messages.
 */
export function parseClaimSets(text: string, where: string): Array<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError('ERR_USAGE', `${where} is not JSON: ${(error as Error).message}`);
  }
  const sets = Array.isArray(value) ? value : [value];
  if (sets.length === 0) throw new UserError('ERR_USAGE', `${where} must be a JSON object, or a non-empty array of objects`);
  sets.forEach((set, index) => {
    if (typeof set !== 'object' || set === null || Array.isArray(set)) throw new UserError('ERR_USAGE', `${where}${Array.isArray(value) ? `[${index}]` : ''} must be a JSON object`);
  });
  return sets as Array<Record<string, unknown>>;
}

/** The GitHub context claims, from the runner's environment. */
export function githubContextClaims(env: NodeJS.ProcessEnv): Record<string, string> {
  const names: Record<string, string | undefined> = {
    repository: env.GITHUB_REPOSITORY,
    ref: env.GITHUB_REF,
    sha: env.GITHUB_SHA,
    run_id: env.GITHUB_RUN_ID,
    run_attempt: env.GITHUB_RUN_ATTEMPT,
    workflow_ref: env.GITHUB_WORKFLOW_REF,
    environment: env.JWT_GUARD_ENVIRONMENT,
  };
  return Object.fromEntries(Object.entries(names).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length > 0));
}

/**
 * Refuses a key or algorithm the policy forbids, before anything is signed (mint), or
 * before a key is stored in a secret that mint would refuse to use (encrypt-key: `doing`
 * says which). Returns the key's facts.
 */
export async function checkSigningKey(policy: Policy, key: SigningKey, doing = 'refusing to mint'): Promise<KeyFacts> {
  const alg = policy.mint.algorithm;
  const verdict = judgeAlgorithm(alg, policy.algorithms);
  if (!verdict.allowed) throw new UserError('ERR_MINT_REFUSED', `${doing}: mint.algorithm ${verdict.reason}`);
  const facts: KeyFacts = { kind: 'key', private: true, ...(await describeKeyObject(key.privateKey)), encrypted: false, encoding: 'jwk', confirmed: true, digest: key.kid, alg };
  const requirement = keyRequirement(alg);
  if (!requirement || !MINT_ALGORITHMS.has(alg)) throw new UserError('ERR_MINT_REFUSED', `${doing}: mint.algorithm ${alg} is not one jwt-guard mints with: ${[...MINT_ALGORITHMS].join(', ')}`);
  const weaknesses = keyWeaknesses(facts, policy.keys);
  if (weaknesses.length > 0) throw new UserError('ERR_MINT_REFUSED', `${doing}: the signing key is weak or unfit for ${alg} (mint.algorithm): ${weaknesses.join('; ')}`);
  return facts;
}

function claimSetsFrom(request: MintRequest, policy: Policy): Array<Record<string, unknown>> {
  const sets = request.claimSets && request.claimSets.length > 0 ? request.claimSets : [{}];
  const allowed = policy.mint.overridableClaims;
  return sets.map((set, index) => {
    const where = sets.length > 1 ? `claims[${index}]` : 'claims';
    const reserved = Object.keys(set).filter((name) => RESERVED.includes(name));
    if (reserved.length > 0) throw new UserError('ERR_MINT_REFUSED', `refusing to mint: ${where} sets ${reserved.join(', ')}, which only the minting run sets`);
    const forbidden = Object.keys(set).filter((name) => !allowed.includes(name));
    if (forbidden.length > 0) throw new UserError('ERR_MINT_REFUSED', `refusing to mint: ${where} sets ${forbidden.join(', ')}, which mint.overridableClaims ${bracketList(allowed)} does not allow`);
    if (request.audience !== undefined) {
      if (!allowed.includes('aud')) throw new UserError('ERR_MINT_REFUSED', 'refusing to mint: the audience input overrides aud, which mint.overridableClaims does not allow');
      return { ...set, aud: request.audience };
    }
    return set;
  });
}

/**
 * Mints one token per claim set. Everything is decided before the first signature and
 * every token is checked with jwt-guard's own rules (the verifier, with the signing key
 * as the trusted key, and sensitive-claim) before any is returned: one refusal, and
 * no token at all.
 */
export async function mintTokens(policy: Policy, request: MintRequest): Promise<MintResult> {
  const warnings: string[] = [];
  const { mint } = policy;
  await checkSigningKey(policy, request.key);
  if (request.key.form === 'plain-pem' || request.key.form === 'plain-jwk') warnings.push('the signing key arrived unencrypted (mint.allowPlainKey): store it encrypted with jwt-guard encrypt-key');
  let lifetime = mint.lifetime;
  if (lifetime > policy.tokens.maxLifetime) {
    warnings.push(`mint.lifetime ${formatDuration(lifetime)} is capped at tokens.maxLifetime ${formatDuration(policy.tokens.maxLifetime)}`);
    lifetime = policy.tokens.maxLifetime;
  }
  const sets = claimSetsFrom(request, policy);
  const now = request.now ?? Math.floor(Date.now() / 1000);
  const iat = now - BACKDATE_SECONDS;
  const minted: MintedToken[] = [];
  for (const set of sets) {
    const audience = set.aud ?? (mint.audience.length === 1 ? mint.audience[0] : mint.audience.length > 1 ? mint.audience : undefined);
    const jti = randomUUID();
    const claims: JWTPayload = {
      ...mint.claims,
      ...(mint.issuer ? { iss: mint.issuer } : {}),
      ...(mint.subject ? { sub: mint.subject } : {}),
      ...(request.githubContext ?? {}),
      ...set,
      ...(audience !== undefined ? { aud: audience as string | string[] } : {}),
      iat,
      nbf: iat,
      exp: iat + lifetime,
      jti,
    };
    const token = await new SignJWT(claims).setProtectedHeader({ alg: mint.algorithm, typ: mint.type, kid: request.key.kid }).sign(request.key.privateKey);
    minted.push({ token, jti, kid: request.key.kid, aud: (claims.aud ?? []) as string | string[], exp: iat + lifetime, expiresAt: new Date((iat + lifetime) * 1000).toISOString() });
  }
  // Fail closed: every token must pass the policy it will be judged by.
  const verdicts = await checkTokens(minted.map((m) => m.token), policy, { local: [request.key.publicJwk], remote: [] }, now);
  for (const verdict of verdicts) {
    if (!verdict.valid) throw new UserError('ERR_MINT_REFUSED', `refusing to mint: the token would break the policy (${verdict.failure!.ruleId}): ${verdict.reason}`);
  }
  // Then the rules that judge a token about to be minted beyond what verifying it checks (sensitive-claim).
  for (const m of minted) {
    const facts = analyzeToken({ type: 'jwt', span: { start: 0, end: m.token.length }, raw: m.token })!;
    for (const rule of RULES) {
      if (!rule.mint || policy.rules[rule.meta.id]?.severity === 'off') continue;
      const report = rule.mint({ facts, policy, now });
      if (report) throw new UserError('ERR_MINT_REFUSED', `refusing to mint: ${formatMessage(rule.meta, report)}`);
    }
  }
  return { tokens: minted, warnings };
}

/** The audit line for a minted token: never the token. */
export function auditLine(token: MintedToken): string {
  return `minted jti ${token.jti}, kid ${token.kid}, aud ${Array.isArray(token.aud) ? bracketList(token.aud) : token.aud}, expires ${token.expiresAt}`;
}
