import { describeToken } from '../analyze/describe.js';
import { formatDuration } from '../util/format.js';
import type { Severity, TokenFacts } from '../types.js';
import { lower } from './severity.js';
import type { RuleReport } from './types.js';

/**
 * What the rules about where a token sits (committed-token, token-in-log, token-in-url)
 * share: a token already expired is reported one level lower, with a note that says so,
 * and a token-shaped string that cannot be a usable token (its signature cannot be what
 * its alg makes) as a note.
 */
export function placementReport(facts: TokenFacts, severity: Severity, now: number, messageId: string, data: Record<string, string> = {}): RuleReport {
  if (facts.unusable) return { messageId: 'unusable', data: { token: describeToken(facts), reason: facts.unusable }, severity: 'note' };
  const exp = facts.claims?.exp;
  const expired = typeof exp === 'number' && exp <= now;
  const expiry = expired ? `; it expired ${formatDuration(now - exp)} ago, which makes it less urgent but shows where live tokens get pasted` : '';
  return { messageId, data: { token: describeToken(facts), expiry, ...data }, severity: expired ? lower(severity) : severity };
}

export const PLACEMENT_NOTE = 'Expired tokens are still reported, one severity lower: they show where live ones get pasted next.';

/** The message the placement rules give a token-shaped string that cannot be a usable token. */
export const UNUSABLE_MESSAGE = '{token} is token-shaped but not a usable token ({reason}): test data such as a fuzz seed, reported as a note in case it is a real token cut short.';
