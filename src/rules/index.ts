import type { Rule, RuleMeta } from './types.js';
import { privateKey } from './private-key.js';
import { weakKey } from './weak-key.js';
import { disallowedAlgorithm } from './disallowed-algorithm.js';
import { committedToken } from './committed-token.js';
import { tokenInLog } from './token-in-log.js';
import { tokenInUrl } from './token-in-url.js';
import { tokenLifetime } from './token-lifetime.js';
import { missingClaim } from './missing-claim.js';
import { insecureHeader } from './insecure-header.js';
import { sensitiveClaim } from './sensitive-claim.js';
import { weakSecret } from './weak-secret.js';
import { incompleteScan } from './incomplete-scan.js';
import { ineffectiveSuppression } from './ineffective-suppression.js';
import { tokenSignature } from './token-signature.js';
import { tokenExpired } from './token-expired.js';
import { tokenIssuer } from './token-issuer.js';
import { tokenAudience } from './token-audience.js';
import { tokenType } from './token-type.js';
import { insecureVerification } from './insecure-verification.js';
import { hardcodedSecret } from './hardcoded-secret.js';

/** Every rule, in the order they are reported in SARIF and the README. Adding a rule: one module (src/rules/<id>.ts) with its examples, one entry here. */
export const RULES: readonly Rule[] = [
  privateKey,
  weakKey,
  disallowedAlgorithm,
  committedToken,
  tokenInLog,
  tokenInUrl,
  tokenLifetime,
  missingClaim,
  insecureHeader,
  sensitiveClaim,
  weakSecret,
  hardcodedSecret,
  insecureVerification,
  tokenSignature,
  tokenExpired,
  tokenIssuer,
  tokenAudience,
  tokenType,
  incompleteScan,
  ineffectiveSuppression,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleMeta(id: string): RuleMeta | undefined {
  return RULES_BY_ID.get(id)?.meta;
}
