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
    expect((await split(`// jwt-guard-ignore-begin\n${ec()}`)).findings.map((f) => f.ruleId)).toEqual(['private-key', 'ineffective-suppression']);
  });

  it('parses rule lists and reasons in any comment style', () => {
    expect(inlineDirectives('x /* jwt-guard-ignore private-key, weak-key -- fixture */').ranges).toEqual([
      { from: 1, to: 1, rules: new Set(['private-key', 'weak-key']), reason: 'fixture' },
    ]);
    expect(inlineDirectives('a\n# jwt-guard-ignore-next-line').ranges).toEqual([{ from: 3, to: 3 }]);
    expect(inlineDirectives('jwt-guard-ignored is not a directive')).toEqual({ ranges: [], problems: [] });
  });
});

describe('suppressions that suppress nothing', () => {
  const notes = (result: { findings: Array<{ ruleId: string }> }) => result.findings.filter((f) => f.ruleId === 'ineffective-suppression') as Array<{ ruleId: string; line: number; column: number; message: string; severity: string }>;

  it('a misspelt rule id is a note on the directive, naming the id and the rules there are; the key stays reported', async () => {
    const result = await split(`# jwt-guard-ignore-next-line privat-key -- a test vector\n${ec()}`);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['private-key', 'ineffective-suppression']);
    const [note] = notes(result);
    expect(note).toMatchObject({ severity: 'note', line: 1, column: 3 });
    expect(note!.message).toContain("jwt-guard-ignore-next-line names 'privat-key', which is not a jwt-guard rule: it accepts no finding of it.");
    expect(note!.message).toContain('Rule ids: private-key, weak-key,');
  });

  it('a reason written without -- is read as rule ids, and said to be none', async () => {
    const result = await split(`# jwt-guard-ignore-next-line private-key test-vector from-rfc\n${ec()}`);
    // private-key is named, so the key is accepted; the two words that are no rule are reported
    expect(result.suppressed).toHaveLength(1);
    expect(notes(result)[0]!.message).toContain("names 'test-vector', 'from-rfc', which are not a jwt-guard rule: it accepts no finding of them. Rule ids:");
    expect(notes(result)[0]!.message).toContain('Write a reason after `--`.');
  });

  it('an unclosed -begin and a stray -end are notes where they stand', async () => {
    const unclosed = notes(await split(`a\n  // jwt-guard-ignore-begin -- samples\n${ec()}`));
    expect(unclosed).toEqual([expect.objectContaining({ line: 2, column: 6, message: 'jwt-guard-ignore-begin has no jwt-guard-ignore-end after it: it covers nothing. Close the block.' })]);
    const stray = notes(await split(`${ec()}\n# jwt-guard-ignore-end\n`));
    expect(stray).toEqual([expect.objectContaining({ message: 'jwt-guard-ignore-end has no jwt-guard-ignore-begin before it.' })]);
    // a chunk of a large file may hold a begin whose end is in the next chunk: only a whole file is judged
    const text = `// jwt-guard-ignore-begin\n${ec()}`;
    expect(notes(await scanUnit({ path: 'big.txt', kind: 'file', text }, policy, { chunk: { lineBase: 4000, columnBase: 0, freshFrom: 0 } }))).toEqual([]);
    expect(notes(await scanUnit({ path: 'big.txt', kind: 'file', text }, policy, { chunk: { lineBase: 0, columnBase: 0, freshFrom: 0, whole: true } }))).toHaveLength(1);
    // a closed block is no problem
    expect(notes(await split(`# jwt-guard-ignore-begin\n${ec()}\n# jwt-guard-ignore-end\n${ec()}`))).toEqual([]);
  });

  it('follows the policy: off, or raised to fail the build', async () => {
    const text = `# jwt-guard-ignore-next-line privat-key\n${ec()}`;
    const off = resolvePolicy({ rules: { 'ineffective-suppression': 'off' } }, 'test');
    expect(notes(await scanUnit({ path: 'f.txt', kind: 'file', text }, off))).toEqual([]);
    const raised = resolvePolicy({ rules: { 'ineffective-suppression': 'error' } }, 'test');
    expect(notes(await scanUnit({ path: 'f.txt', kind: 'file', text }, raised))[0]!.severity).toBe('error');
  });

  it('a baseline entry that matches nothing in a file the scan read is one note on the baseline, and a subdirectory scan judges only its files', async () => {
    const tree = tempTree({ 'src/a.pem': ec(), 'src/b.pem': ec(), 'lib/c.pem': ec() });
    const settings = (target: string, extra = {}) => ({ targets: [target], base: tree.dir, scanFiles: true, format: 'json' as const, failOn: 'error' as const, ...extra });
    try {
      const baseline = path.join(tree.dir, 'ci/baseline.json');
      await runScan(settings(tree.dir, { writeBaseline: baseline }));
      expect(notes((await runScan(settings(tree.dir, { baseline }))).result)).toEqual([]);
      // the key in src/a.pem is removed (rotated), and lib/c.pem replaced by another key
      writeFileSync(path.join(tree.dir, 'src/a.pem'), 'rotated\n');
      writeFileSync(path.join(tree.dir, 'lib/c.pem'), k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey));
      const after = await runScan(settings(tree.dir, { baseline }));
      const stale = notes(after.result);
      expect(stale).toHaveLength(1);
      expect(stale[0]).toMatchObject({ file: 'ci/baseline.json', line: 1, severity: 'note' });
      expect(stale[0]!.message).toMatch(/^The baseline accepts 2 findings in files this scan read that no finding matches \(such as lib\/c\.pem:1 \(private-key\), src\/a\.pem:1 \(private-key\)\): fixed, or moved\. Write it again with `jwt-guard scan --write-baseline ci\/baseline\.json`\.$/);
      // the new key is reported; the note does not fail the run
      expect(after.result.findings.filter((f) => f.ruleId === 'private-key').map((f) => f.file)).toEqual(['lib/c.pem']);
      // a scan of src/ alone judges only src/a.pem
      const sub = await runScan(settings(path.join(tree.dir, 'src'), { baseline }));
      expect(notes(sub.result)[0]!.message).toMatch(/^The baseline accepts 1 finding .*such as src\/a\.pem:1/);
      // a baseline never accepts its own staleness
      await runScan(settings(tree.dir, { baseline, writeBaseline: baseline }));
      expect(notes((await runScan(settings(tree.dir, { baseline }))).result)).toEqual([]);
    } finally {
      tree.cleanup();
    }
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
