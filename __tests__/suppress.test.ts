import { describe, expect, it } from '@jest/globals';
import { resolvePolicy } from '../src/policy/load.js';
import { scan } from '../src/pipeline/scan.js';
import { inlineDirectives } from '../src/suppress/suppressions.js';
import * as k from './helpers/keys.js';
import { findingsIn, tempTree } from './helpers/scan.js';
import { scanUnit } from '../src/pipeline/scan-unit.js';

const policy = resolvePolicy({}, 'test');
const ec = () => k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);
const jwkLine = () => JSON.stringify(k.jwk(k.keyPair({ type: 'ed25519' }).privateKey));

async function split(text: string) {
  return scanUnit({ path: 'f.txt', kind: 'file', text }, policy);
}

describe('inline jwt-guard-ignore', () => {
  it('on the same line', async () => {
    const result = await split(`const key = ${jwkLine()}; // jwt-guard-ignore -- documented test vector\n`);
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toEqual([expect.objectContaining({ ruleId: 'private-key', suppressedBy: 'inline', reason: 'documented test vector' })]);
  });

  it('on the line before, with -next-line', async () => {
    const result = await split(`# jwt-guard-ignore-next-line private-key\n${ec()}`);
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toHaveLength(1);
  });

  it('around a block, with -begin and -end', async () => {
    const text = `<!-- jwt-guard-ignore-begin -- sample for the docs -->\n${ec()}\n${jwkLine()}\n<!-- jwt-guard-ignore-end -->\n${jwkLine()}\n`;
    const result = await split(text);
    expect(result.suppressed).toHaveLength(2);
    expect(result.suppressed[0]!.reason).toBe('sample for the docs');
    expect(result.findings).toHaveLength(1);
  });

  it('only for the rules it names', async () => {
    const result = await split(`${jwkLine()} // jwt-guard-ignore committed-token\n`);
    expect(result.findings).toHaveLength(1);
  });

  it('not past the line it governs, and not from an unclosed begin', async () => {
    expect((await split(`// jwt-guard-ignore\n\n${ec()}`)).findings).toHaveLength(1);
    expect((await split(`// jwt-guard-ignore-begin\n${ec()}`)).findings).toHaveLength(1);
  });

  it('parses rule lists and reasons in any comment style', () => {
    expect(inlineDirectives('x /* jwt-guard-ignore private-key, weak-key -- fixture */')).toEqual([
      { from: 1, to: 1, rules: new Set(['private-key', 'weak-key']), reason: 'fixture' },
    ]);
    expect(inlineDirectives('a\n# jwt-guard-ignore-next-line')).toEqual([{ from: 3, to: 3 }]);
    expect(inlineDirectives('jwt-guard-ignored is not a directive')).toEqual([]);
  });
});

describe('policy ignore and baseline', () => {
  it('accepts by path, by rule and by fingerprint, each with its reason', async () => {
    const tree = tempTree({ 'test/fixtures/a.pem': ec(), 'src/b.pem': ec(), 'src/c.json': jwkLine() });
    try {
      const first = await scan({ root: tree.dir, policy });
      expect(first.findings).toHaveLength(3);
      const target = first.findings.find((f) => f.file === 'src/c.json')!;
      const withIgnores = resolvePolicy(
        {
          ignore: [
            { paths: ['test/fixtures/**'], rules: ['private-key'], reason: 'fixtures are generated keys' },
            { fingerprints: [target.fingerprint], reason: 'rotated on 2026-11-01' },
          ],
        },
        'test',
      );
      const second = await scan({ root: tree.dir, policy: withIgnores });
      expect(second.findings.map((f) => f.file)).toEqual(['src/b.pem']);
      expect(second.suppressed.map((s) => [s.file, s.suppressedBy, s.reason])).toEqual([
        ['src/c.json', 'policy', 'rotated on 2026-11-01'],
        ['test/fixtures/a.pem', 'policy', 'fixtures are generated keys'],
      ]);
      const third = await scan({ root: tree.dir, policy, baseline: new Set([second.findings[0]!.fingerprint]) });
      expect(third.findings).toHaveLength(2);
      expect(third.suppressed).toEqual([expect.objectContaining({ file: 'src/b.pem', suppressedBy: 'baseline' })]);
    } finally {
      tree.cleanup();
    }
  });

  it('an ignore entry whose conditions do not all match suppresses nothing', async () => {
    const findings = await findingsIn(ec(), { path: 'src/x.pem' });
    const strictIgnore = resolvePolicy({ ignore: [{ paths: ['src/**'], rules: ['weak-key' as never], reason: 'other rule' }] }, 'test');
    const { applySuppressors } = await import('../src/pipeline/scan-unit.js');
    const { policySuppressor } = await import('../src/suppress/suppressions.js');
    expect(applySuppressors(findings, [policySuppressor(strictIgnore.ignore)]).findings).toHaveLength(1);
  });
});
