/**
 * The rule tester (after ESLint's RuleTester and gitleaks' per-rule true and false
 * positives): every rule in the registry carries examples, and each runs here. A valid
 * example yields nothing from its rule; an invalid one yields the rule's finding with the
 * message id (and severity: a refused checked token is always an error) it names. Rules added later are tested the same way, and a
 * rule without examples fails.
 */
import { describe, expect, it } from '@jest/globals';
import { checkTokens } from '../../src/check/check.js';
import { scanUnit } from '../../src/pipeline/scan-unit.js';
import { resolvePolicy } from '../../src/policy/load.js';
import { exampleSigningKey, publicJwk } from '../../src/rules/example-material.js';
import { incompleteFinding } from '../../src/rules/incomplete-scan.js';
import { RULES } from '../../src/rules/index.js';
import type { RuleExample } from '../../src/rules/types.js';

/** What the example yields: the findings of a scan of its text, or the refusal of the token it checks. */
async function findingsOf(example: RuleExample): Promise<Array<{ ruleId: string; messageId?: string; severity: string; message: string }>> {
  const policy = resolvePolicy(example.policy ?? {}, 'example');
  const text = await example.text();
  if (example.mode === 'verify') {
    const trusted = { ...publicJwk(exampleSigningKey()), kid: 'example-key' };
    const [checked] = await checkTokens([text], policy, { local: [trusted], remote: [], ...(example.hmacSecret ? { hmacSecret: new TextEncoder().encode(example.hmacSecret) } : {}) });
    return checked!.failure ? [checked!.failure] : [];
  }
  const kind = example.kind ?? 'file';
  const result = await scanUnit({ path: example.path ?? 'example.txt', kind, text }, policy);
  const gaps = result.gaps.flatMap((gap) => incompleteFinding(policy, { ...gap, unitKind: gap.unitKind ?? kind }) ?? []);
  return [...result.findings, ...gaps];
}

for (const rule of RULES) {
  const { id } = rule.meta;
  describe(`rule ${id}`, () => {
    it('carries valid and invalid examples, each naming a message the rule has', () => {
      expect(rule.examples.valid.length).toBeGreaterThan(0);
      expect(rule.examples.invalid.length).toBeGreaterThan(0);
      for (const example of rule.examples.invalid) expect(Object.keys(rule.meta.messages)).toContain(example.messageId);
    });

    for (const example of rule.examples.valid) {
      it(`valid: ${example.name}`, async () => {
        expect((await findingsOf(example)).filter((f) => f.ruleId === id)).toEqual([]);
      });
    }

    for (const example of rule.examples.invalid) {
      it(`invalid: ${example.name}`, async () => {
        const mine = (await findingsOf(example)).filter((f) => f.ruleId === id);
        expect(mine.length).toBeGreaterThan(0);
        for (const finding of mine) {
          expect({ messageId: finding.messageId, severity: finding.severity }).toEqual({ messageId: example.messageId, severity: example.severity ?? (example.mode === 'verify' ? 'error' : rule.meta.defaultSeverity) });
          expect(finding.message).not.toMatch(/\{\w+\}/);
        }
      });
    }
  });
}
