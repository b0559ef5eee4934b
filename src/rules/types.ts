import type { TrustedKeys } from '../analyze/trusted.js';
import type { FileBudget } from '../pipeline/budget.js';
import type { Policy, PolicyDocument } from '../policy/types.js';
import type { CodeFact } from '../code/facts.js';
import type { Artifact, Facts, Severity, SeverityLevel, TextUnit, TokenFacts, UnitKind } from '../types.js';

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
  /**
   * The rule says where a token sits (committed, in a log, in a URL), so it also reports a
   * token-shaped string that cannot be a usable token, as a note; every other rule judges
   * a token's content, and is not run on one.
   */
  placement?: true;
  /**
   * Every message the rule can give, by id (ESLint's `meta.messages`): templates whose
   * `{name}` placeholders are filled from a report's data. Callers and tests speak of
   * message ids, never of prose.
   */
  messages: Record<string, string>;
}

/** Values for a message's placeholders: facts already worded, never a secret. */
export type MessageData = Record<string, string | number>;

export interface RuleReport {
  messageId: string;
  data?: MessageData;
  /** Overrides the rule's configured severity for this report; 'off' drops it. */
  severity?: SeverityLevel;
}

/** A scanned artifact, as the engine hands it to a rule's `check`. */
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

/** A finding of the code checks (src/code), as the engine hands it to the rule whose id it names. */
export interface CodeRuleContext {
  fact: CodeFact;
  severity: Severity;
  options: Record<string, unknown>;
  policy: Policy;
}

/** A token being verified (jwt-guard check, the tokens input, and mint's check of what it signed), as the verifier hands it to a rule. */
export interface VerifyContext {
  facts: TokenFacts;
  policy: Policy;
  /** Seconds since the epoch. */
  now: number;
  /** The secret HS* tokens are verified with, when one was given. */
  hmacSecret?: Uint8Array;
}

/**
 * A rule's examples (gitleaks' rules carry their true and false positives the same way),
 * run by __tests__/rules/examples.test.ts for every rule in the registry. Keys and tokens
 * are made by code when the test runs, never written into the source.
 */
export interface RuleExample {
  /** What the example is, for the test's name. */
  name: string;
  /** Where the example goes: a scanned unit (`scan`, the default) or a token to verify (`verify`). */
  mode?: 'scan' | 'verify';
  /** The unit's path (a source file's extension chooses its language); `example.txt` by default. */
  path?: string;
  /** The unit's text, or the token to verify. */
  text: () => string | Promise<string>;
  kind?: UnitKind;
  policy?: PolicyDocument;
  /** For `verify`: the HMAC secret given (the example signing key's public half is always trusted). */
  hmacSecret?: string;
}

export interface InvalidExample extends RuleExample {
  /** The message the rule gives (every report of the rule in the example has it). */
  messageId: string;
  /** The severity it is reported at, when not the rule's default. */
  severity?: Severity;
}

export interface RuleExamples {
  valid: RuleExample[];
  invalid: InvalidExample[];
}

export interface Rule {
  meta: RuleMeta;
  /** Scanned artifacts: pure over its context; may be asynchronous (jose verification). */
  check?(context: RuleContext): RuleReport[] | Promise<RuleReport[]>;
  /** A token being verified, before its signature is: its header, and the key it is checked with. */
  verifyHeader?(context: VerifyContext): RuleReport | undefined;
  /** A token being verified, once its signature verified: its claims. */
  verifyClaims?(context: VerifyContext): RuleReport | undefined;
  /** A token about to be minted, beyond what verifying it checks. */
  mint?(context: VerifyContext): RuleReport | undefined;
  /** A finding of the code checks that names this rule: its message and data. */
  code?(context: CodeRuleContext): RuleReport | undefined;
  examples: RuleExamples;
}

/** A report worded: the rule's message template with the report's data filled in. */
export function formatMessage(meta: RuleMeta, report: RuleReport): string {
  const template = meta.messages[report.messageId];
  if (template === undefined) throw new Error(`rule ${meta.id} has no message '${report.messageId}'`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = report.data?.[name];
    if (value === undefined) throw new Error(`rule ${meta.id} message '${report.messageId}' needs {${name}}`);
    return String(value);
  });
}
