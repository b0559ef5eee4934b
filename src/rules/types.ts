import type { TrustedKeys } from '../analyze/trusted.js';
import type { FileBudget } from '../budget.js';
import type { Policy } from '../policy/types.js';
import type { Artifact, Facts, Severity, SeverityLevel, TextUnit } from '../types.js';

/** JSON Schema fragment for one rule option; every option has a default and a description. */
export interface RuleOptionSchema {
  description: string;
  default: unknown;
  [keyword: string]: unknown;
}

/** What a rule says about itself (the way ESLint rules carry `meta`). */
export interface RuleMeta {
  id: string;
  /** One sentence: what the rule fires on. */
  description: string;
  defaultSeverity: Severity;
  /** Markdown: why it matters and what to do. Shown in SARIF help and the README. */
  help: string;
  /** GitHub code scanning `security-severity` (0.0 to 10.0). */
  securitySeverity: number;
  /** Extra per-rule options accepted in the policy's `rules` section. */
  options?: Record<string, RuleOptionSchema>;
}

export interface RuleContext {
  unit: TextUnit;
  artifact: Artifact;
  facts: Facts;
  /** The severity the policy gives this rule. */
  severity: Severity;
  options: Record<string, unknown>;
  policy: Policy;
  /** Production keys from `keys.trusted`, by thumbprint. */
  trusted: TrustedKeys;
  /** The scan's clock, in seconds since the epoch (injected so expiry is testable). */
  now: number;
  /** The file's share of the analysis budget, and the scan's memo: expensive work goes through it. */
  budget: FileBudget;
}

export interface RuleReport {
  message: string;
  /** Overrides the rule's configured severity for this report; 'off' drops it. */
  severity?: SeverityLevel;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * Pure over its context; may be asynchronous (jose verification). Rules without it
   * (token-signature and its kin) are reported only by the verifier in src/check/.
   */
  check?(context: RuleContext): RuleReport[] | Promise<RuleReport[]>;
}
