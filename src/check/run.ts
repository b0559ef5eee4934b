import { bracketList } from '../util/format.js';
import type { Policy } from '../policy/types.js';
import { safeText } from '../report/safe.js';
import { checkTokens, type CheckedToken } from './check.js';
import { loadPublicJwks } from '../analyze/trusted.js';

export interface CheckRequest {
  tokens: string[];
  /** The repository root, against which tokens.trustedKeys are resolved. */
  base: string;
  /** The HMAC secret for HS* tokens, from a secret (environment, file or Action input). */
  hmacSecret?: string;
  now?: number;
}

/** Loads the policy's trusted keys and checks every token against them. */
export async function runCheck(policy: Policy, request: CheckRequest): Promise<CheckedToken[]> {
  const local = await loadPublicJwks(policy.tokens.trustedKeys, request.base, 'tokens.trustedKeys');
  return checkTokens(request.tokens, policy, {
    local,
    remote: policy.tokens.jwksUrls,
    ...(request.hmacSecret ? { hmacSecret: new TextEncoder().encode(request.hmacSecret) } : {}),
  }, request.now);
}

/** Tokens from text: one per line, blank lines and surrounding white space ignored. */
export function splitTokens(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** The JSON results (Action output `results`, `check --format json`): facts and verdicts, never the tokens. */
export function checkResults(checked: CheckedToken[]) {
  return checked.map(({ index, valid, facts, failure }) => ({
    index,
    valid,
    facts,
    ...(failure ? { failure: { ruleId: failure.ruleId, message: failure.message, fingerprint: failure.fingerprint } } : {}),
  }));
}

/** One line per token: its facts and its verdict. */
export function renderCheckText(checked: CheckedToken[]): string {
  const lines: string[] = [];
  for (const result of checked) {
    const facts = Object.entries(result.facts)
      .filter(([name]) => name !== 'preview' && name !== 'format')
      .map(([name, value]) => `${name} ${Array.isArray(value) ? bracketList(value) : value}`)
      .join(', ');
    const what = `${facts}${facts ? ', ' : ''}${result.facts.preview ?? ''}`;
    // Facts come from the token (kid, iss, aud): escaped, as everything printed from input is.
    lines.push(safeText(result.valid ? `✔ token ${result.index} valid: ${what}` : `✖ token ${result.index} refused (${result.failure!.ruleId}): ${result.failure!.message}`));
  }
  const invalid = checked.filter((c) => !c.valid).length;
  lines.push('', `${checked.length - invalid} of ${checked.length} token${checked.length === 1 ? '' : 's'} valid`);
  return `${lines.join('\n')}\n`;
}
