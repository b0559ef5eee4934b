import type { Rule, RuleMeta } from './types.js';
import { privateKey } from './private-key.js';
import { weakKey } from './weak-key.js';
import { disallowedAlgorithm } from './disallowed-algorithm.js';

/** Every rule, in the order they are reported in SARIF and the README. Adding a rule: one file, one entry here. */
export const RULES: readonly Rule[] = [privateKey, weakKey, disallowedAlgorithm];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleMeta(id: string): RuleMeta | undefined {
  return RULES_BY_ID.get(id)?.meta;
}
