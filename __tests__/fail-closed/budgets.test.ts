/** Expensive analysis is bounded per file and per scan, done once per distinct artifact, and what it skips is reported. */
import { describe, expect, it } from '@jest/globals';
import { COSTS, ScanBudget } from '../../src/pipeline/budget.js';
import { resolvePolicy } from '../../src/policy/load.js';
import { scan } from '../../src/pipeline/scan.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';
import * as t from '../helpers/tokens.js';

const policy = resolvePolicy({}, 'test');
const count = (findings: Array<{ ruleId: string }>, ruleId: string) => findings.filter((f) => f.ruleId === ruleId).length;

describe('analysis budgets', () => {
  it('past the per-file budget, tokens are still reported, and the screening not done is an incomplete-scan finding', async () => {
    const tokens = await Promise.all(Array.from({ length: 5 }, (_, i) => t.hmac('secret', t.goodClaims({ jti: `j${i}` }))));
    const repo = tempTree({ 'dense.txt': tokens.join('\n'), 'other.txt': tokens[0]! });
    try {
      const budget = new ScanBudget({ perFile: 3 * COSTS['weak-secret'], perScan: 1e12 });
      const result = await scan({ root: repo.dir, policy, budget });
      const dense = result.findings.filter((f) => f.file === 'dense.txt');
      expect(count(dense, 'committed-token')).toBe(5);
      expect(count(dense, 'weak-secret')).toBe(3);
      const gap = dense.find((f) => f.ruleId === 'incomplete-scan')!;
      expect(gap).toMatchObject({ severity: 'error', line: 1 });
      expect(gap.message).toContain('2 HS* tokens were not screened for well-known secrets');
      // the token of other.txt was screened already (in dense.txt, or here first): done once, no gap
      expect(result.findings.filter((f) => f.file === 'other.txt').map((f) => f.ruleId).sort()).toEqual(['committed-token', 'weak-secret']);
    } finally {
      repo.cleanup();
    }
  });

  it('the per-scan budget spans files, and identical artifacts are analysed once wherever they are', async () => {
    const same = await t.hmac('secret');
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`copy${i}.txt`] = same;
    const distinct = await Promise.all(Array.from({ length: 3 }, (_, i) => t.hmac('secret', t.goodClaims({ jti: `d${i}` }))));
    distinct.forEach((token, i) => (files[`zz${i}.txt`] = token));
    const repo = tempTree(files);
    try {
      const budget = new ScanBudget({ perFile: 1e12, perScan: 2 * COSTS['weak-secret'] });
      const result = await scan({ root: repo.dir, policy, budget });
      // twenty copies of one token: one screening, twenty weak-secret findings
      expect(count(result.findings.filter((f) => f.file.startsWith('copy')), 'weak-secret')).toBe(20);
      // one screening left for three distinct tokens: two gaps, one per file that ran out
      expect(count(result.findings, 'weak-secret')).toBe(21);
      expect(result.findings.filter((f) => f.ruleId === 'incomplete-scan').map((f) => f.file)).toEqual(['zz1.txt', 'zz2.txt']);
    } finally {
      repo.cleanup();
    }
  });

  it('keys past the budget: a private-key label is still reported, unconfirmed, and the analysis not done is a gap', async () => {
    const pems = Array.from({ length: 3 }, () => k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey));
    const repo = tempTree({ 'keys.pem': pems.join('\n') });
    try {
      const budget = new ScanBudget({ perFile: 2 * COSTS.key, perScan: 1e12 });
      const result = await scan({ root: repo.dir, policy, budget });
      const keys = result.findings.filter((f) => f.ruleId === 'private-key');
      expect(keys.map((f) => f.severity)).toEqual(['error', 'error', 'warning']);
      expect(keys[2]!.message).toContain('could not be confirmed');
      expect(result.findings.find((f) => f.ruleId === 'incomplete-scan')!.message).toContain('1 key was not analysed');
    } finally {
      repo.cleanup();
    }
  });

  it('within the default budget a file of distinct HS256 tokens has every token reported', async () => {
    const tokens = await Promise.all(Array.from({ length: 40 }, (_, i) => t.hmac(`s3cr3t-${i}-${'x'.repeat(32)}`, t.goodClaims({ jti: `n${i}` }))));
    const repo = tempTree({ 'tokens.txt': tokens.join('\n') });
    try {
      const result = await scan({ root: repo.dir, policy });
      expect(count(result.findings, 'committed-token')).toBe(40);
      expect(count(result.findings, 'incomplete-scan')).toBe(0);
    } finally {
      repo.cleanup();
    }
  });
});
