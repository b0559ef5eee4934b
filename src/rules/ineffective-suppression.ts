import { fingerprint } from '../fingerprint.js';
import type { Policy } from '../policy/types.js';
import type { Finding, UnitKind } from '../types.js';
import { ecKey, pkcs8 } from './example-material.js';
import { formatMessage, type MessageData, type Rule } from './types.js';

/**
 * A suppression that suppresses nothing, so that a typo never silently leaves a finding
 * standing while its author believes it accepted (ESLint reports unused disable
 * directives the same way). It has no check over artifacts: the inline directive reader
 * and the baseline report what they could not apply, and `suppressionFinding` words it.
 */
export const ineffectiveSuppression: Rule = {
  meta: {
    id: 'ineffective-suppression',
    description: 'An inline directive or baseline entry that accepts nothing: an unknown rule id in a jwt-guard-ignore directive, a -begin without its -end (or an -end without a -begin), a baseline entry that matches no finding in a file the scan read.',
    defaultSeverity: 'note',
    securitySeverity: 2.0,
    help: [
      'A directive that names a rule id jwt-guard does not have (`privat-key`, or a reason written without `--` before it) accepts no finding, and a `jwt-guard-ignore-begin` without its `jwt-guard-ignore-end` covers nothing (a forgotten end must not silence the rest of the file). A baseline entry whose file was scanned and that no finding matches is stale: the finding was fixed, or moved so that its fingerprint changed.',
      '',
      '**What to do:** correct the rule id (the message lists the rules), write the reason after `--`, close the block, or write the baseline again with `jwt-guard scan --write-baseline FILE`.',
    ].join('\n'),
    messages: {
      unknownRule: '{directive} names {ids}, which {are} not a jwt-guard rule: it accepts no finding of {them}. Rule ids: {known}. Write a reason after `--`.',
      unclosed: 'jwt-guard-ignore-begin has no jwt-guard-ignore-end after it: it covers nothing. Close the block.',
      unmatchedEnd: 'jwt-guard-ignore-end has no jwt-guard-ignore-begin before it.',
      staleBaseline: 'The baseline accepts {count} {findings} in files this scan read that no finding matches (such as {examples}): fixed, or moved. Write it again with `jwt-guard scan --write-baseline {file}`.',
    },
  },
  examples: {
    valid: [{ name: 'a directive naming a rule, with a reason', text: () => `# jwt-guard-ignore-next-line private-key -- a test vector\n${pkcs8(ecKey())}` }],
    invalid: [
      { name: 'a directive with a misspelt rule id', text: () => `# jwt-guard-ignore-next-line privat-key -- a test vector\n${pkcs8(ecKey())}`, messageId: 'unknownRule' },
      { name: 'a block that is never closed', text: () => `# jwt-guard-ignore-begin\n${pkcs8(ecKey())}`, messageId: 'unclosed' },
    ],
  },
};

/** What could not be applied, where: a line and column in `file` (the unit the directive is in, or the baseline file). */
export interface IneffectiveSuppression {
  file: string;
  line: number;
  column: number;
  messageId: keyof typeof ineffectiveSuppression.meta.messages;
  data?: MessageData;
  /** What tells this problem apart from others in the same file, for its fingerprint. */
  key: string;
  unitKind: UnitKind;
}

/** The finding for one ineffective suppression, at the rule's severity in the policy; undefined when the rule is off. */
export function suppressionFinding(policy: Policy, problem: IneffectiveSuppression): Finding | undefined {
  const severity = policy.rules[ineffectiveSuppression.meta.id]?.severity ?? ineffectiveSuppression.meta.defaultSeverity;
  if (severity === 'off') return undefined;
  return {
    ruleId: ineffectiveSuppression.meta.id,
    severity,
    file: problem.file,
    line: problem.line,
    column: problem.column,
    endLine: problem.line,
    endColumn: problem.column + 1,
    message: formatMessage(ineffectiveSuppression.meta, { messageId: problem.messageId, ...(problem.data ? { data: problem.data } : {}) }),
    messageId: problem.messageId,
    fingerprint: fingerprint(ineffectiveSuppression.meta.id, problem.file, `${problem.messageId}\0${problem.key}`),
    unitKind: problem.unitKind,
    artifact: { type: 'content' },
  };
}
