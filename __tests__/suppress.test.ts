import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolvePolicy } from '../src/policy/load.js';
import { scan } from '../src/pipeline/scan.js';
import { inlineDirectives } from '../src/suppress/suppressions.js';
import * as k from './helpers/keys.js';
import { findingsIn, tempTree } from './helpers/scan.js';
import { scanUnit } from '../src/pipeline/scan-unit.js';
import { runScan } from '../src/pipeline/run-scan.js';
import { UserError } from '../src/errors.js';

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

  describe('a baseline the policy names', () => {
    const settings = (root: string, extra = {}) => ({ targets: [root], base: root, scanFiles: true, format: 'json' as const, failOn: 'error' as const, ...extra });

    it('is read as the baseline, is not scanned, and --baseline overrides it', async () => {
      const tree = tempTree({ 'src/a.pem': ec(), 'src/b.pem': ec() });
      try {
        const first = await runScan(settings(tree.dir));
        const [a, b] = first.result.findings;
        const entry = (f: typeof a) => ({ fingerprint: f!.fingerprint, ruleId: f!.ruleId, file: f!.file, line: f!.line });
        const write = (name: string, findings: unknown[]) => tempWrite(tree.dir, name, JSON.stringify({ version: 1, findings }));
        tempWrite(tree.dir, '.github/jwt-guard.json', JSON.stringify({ baseline: 'ci/accepted.json' }));
        write('ci/accepted.json', [entry(a)]);
        write('ci/other.json', [entry(b)]);
        const named = await runScan(settings(tree.dir));
        expect(named.result.findings.map((f) => f.file)).toEqual([b!.file]);
        expect(named.result.skipped).toContainEqual(expect.objectContaining({ file: 'ci/accepted.json', reason: 'baseline' }));
        const overridden = await runScan(settings(tree.dir, { baseline: `${tree.dir}/ci/other.json` }));
        // the policy's baseline is then scanned like any file (it holds no secret, so nothing is found in it)
        expect(overridden.result.findings.map((f) => f.file)).toEqual([a!.file]);
        expect(overridden.result.skipped).toContainEqual(expect.objectContaining({ file: 'ci/other.json', reason: 'baseline' }));
      } finally {
        tree.cleanup();
      }
    });

    it.each([
      ['a baseline that is not there', { baseline: 'ci/nope.json' }, undefined, /policy baseline 'ci\/nope\.json': no such file in the repository \(write it with jwt-guard scan --write-baseline ci\/nope\.json/],
      ['a baseline outside the repository', { baseline: '../elsewhere.json' }, undefined, /policy baseline '\.\.\/elsewhere\.json': must be a path inside the repository/],
      ['a baseline with room for a secret', { baseline: 'b.json' }, { version: 1, findings: [], note: 'anything' }, /baseline .*b\.json: unknown member "note"; a baseline holds version and findings only/],
      ['an entry with an unknown member', { baseline: 'b.json' }, { version: 1, findings: [{ fingerprint: 'a'.repeat(32), comment: 'x' }] }, /\/findings\/0\/comment: unknown member; an entry holds fingerprint, ruleId, file and line only/],
    ])('refuses %s as a user error', async (_name, document, baseline, message) => {
      const tree = tempTree({ '.github/jwt-guard.json': JSON.stringify(document), ...(baseline ? { 'b.json': JSON.stringify(baseline) } : {}) });
      try {
        const outcome = runScan(settings(tree.dir));
        await expect(outcome).rejects.toThrow(UserError);
        await expect(runScan(settings(tree.dir))).rejects.toThrow(message as RegExp);
      } finally {
        tree.cleanup();
      }
    });
  });
});

function tempWrite(dir: string, name: string, text: string) {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
