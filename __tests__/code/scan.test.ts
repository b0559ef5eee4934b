/**
 * The code checks inside a scan, as a user meets them: reported with file, line and a
 * message that never holds the secret, at the policy's severity, suppressed, baselined and
 * treated as test material like every rule; parsed only where a JWT library is named; and
 * failing closed when a file is too large to parse or a grammar does not load.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/cli.js';
import { FileReader } from '../../src/sources/read.js';
import { cliIo } from '../helpers/cli.js';
import { tempTree } from '../helpers/scan.js';

const SECRET = ['s', 'q', 'u', 'e', 'a', 'm', 'i', 's', 'h'].join('').repeat(3);
const INSECURE = "const jwt = require('jsonwebtoken');\nexports.check = (t) => jwt.verify(t, process.env.KEY, { ignoreExpiration: true });\n";
const HARDCODED = `const jwt = require('jsonwebtoken');\nconst SECRET = '${SECRET}';\nexports.sign = (p) => jwt.sign(p, SECRET);\n`;

async function scanJson(dir: string, args: string[] = []) {
  const run = cliIo(dir);
  const code = await runCli(['scan', '--format', 'json', ...args], run.handle);
  return { code, report: JSON.parse(run.out()), out: run.out() };
}

describe('code checks in a scan', () => {
  it('reports both rules with line, column and message, at their default severities, and never shows the secret', async () => {
    const tree = tempTree({ 'src/check.js': INSECURE, 'src/sign.js': HARDCODED });
    try {
      const { code, report, out } = await scanJson(tree.dir);
      expect(code).toBe(1);
      const brief = report.findings.map((f: { ruleId: string; file: string; line: number; severity: string }) => [f.ruleId, f.file, f.line, f.severity]);
      // most severe first
      expect(brief).toEqual([
        ['hardcoded-secret', 'src/sign.js', 2, 'error'],
        ['insecure-verification', 'src/check.js', 2, 'warning'],
      ]);
      expect(report.findings[0].message).toBe(`jwt.sign uses a secret written in the source (through SECRET), ${SECRET.length} characters: anyone who can read the repository can forge tokens. Rotate it and read it from the environment or a secret manager.`);
      expect(report.findings[1].artifact).toEqual({ type: 'code', language: 'javascript', library: 'jsonwebtoken' });
      expect(out).not.toContain(SECRET);
      const sarif = cliIo(tree.dir);
      await runCli(['scan', '--format', 'sarif'], sarif.handle);
      expect(sarif.out()).not.toContain(SECRET);
      expect(sarif.out()).toContain('"ruleId": "hardcoded-secret"');
      const text = cliIo(tree.dir);
      await runCli(['scan'], text.handle);
      expect(text.out()).not.toContain(SECRET);
      expect(text.out()).toContain('make each verification call the safe one its message names');
    } finally {
      tree.cleanup();
    }
  });

  it('makes insecure-verification an error under strict, and off when the policy says so', async () => {
    const tree = tempTree({ 'check.js': INSECURE, 'jwt-guard.json': JSON.stringify({ extends: 'strict' }) });
    try {
      const { code, report } = await scanJson(tree.dir);
      expect(code).toBe(1);
      expect(report.findings.map((f: { severity: string }) => f.severity)).toEqual(['error']);
      writeFileSync(path.join(tree.dir, 'jwt-guard.json'), JSON.stringify({ rules: { 'insecure-verification': 'off' } }));
      expect((await scanJson(tree.dir)).report.findings).toEqual([]);
    } finally {
      tree.cleanup();
    }
  });

  it('treats test material as notes, honours inline comments, and keeps a baseline valid when the code moves', async () => {
    const tree = tempTree({
      'test/check.test.js': INSECURE,
      'jwt-guard.json': JSON.stringify({ files: { fixtures: [{ paths: ['test/**'], reason: 'tests turn checks off on purpose' }] } }),
      'src/sign.js': HARDCODED.replace('exports.sign', '// jwt-guard-ignore-next-line hardcoded-secret -- the demo app\'s secret, rotated per deploy\nexports.sign').replace(`const SECRET = '${SECRET}';\n`, `// jwt-guard-ignore-next-line hardcoded-secret -- the demo app's secret\nconst SECRET = '${SECRET}';\n`),
      'src/check.js': INSECURE,
    });
    try {
      const first = await scanJson(tree.dir);
      expect(first.report.findings.map((f: { file: string; severity: string }) => [f.file, f.severity])).toEqual([
        ['src/check.js', 'warning'],
        ['test/check.test.js', 'note'],
      ]);
      expect(first.report.suppressed.map((f: { ruleId: string; suppressedBy: string }) => [f.ruleId, f.suppressedBy])).toEqual([['hardcoded-secret', 'inline']]);
      await runCli(['scan', '--write-baseline', 'baseline.json'], cliIo(tree.dir).handle);
      writeFileSync(path.join(tree.dir, 'src/check.js'), `// a comment that moves the call down\n\n${INSECURE}`);
      const later = await scanJson(tree.dir, ['--baseline', 'baseline.json']);
      expect(later.report.findings).toEqual([]);
      expect(later.report.suppressed.filter((s: { suppressedBy: string }) => s.suppressedBy === 'baseline').map((s: { line: number }) => s.line)).toEqual([4, 2]);
    } finally {
      tree.cleanup();
    }
  });

  it('analyses a file that does not parse as far as the parser recovers', async () => {
    const tree = tempTree({ 'broken.js': `const jwt = require('jsonwebtoken');\nfunction (( {\n${INSECURE.split('\n')[1]}\n` });
    try {
      const { report } = await scanJson(tree.dir);
      expect(report.findings.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line])).toEqual([['insecure-verification', 3]]);
    } finally {
      tree.cleanup();
    }
  });

  it('parses a large source file whole, and reports one too large to parse as not read by the code checks', async () => {
    const padding = `// ${'x'.repeat(76)}\n`.repeat(8000); // 640 KB: more than one read block
    const huge = `// ${'y'.repeat(76)}\n`.repeat(30000); // 2.4 MB: over the parse limit
    const tree = tempTree({ 'big.js': `${padding}${INSECURE}`, 'huge.js': `${INSECURE}${huge}` });
    try {
      const { report } = await scanJson(tree.dir);
      expect(report.findings.map((f: { ruleId: string; file: string; line: number }) => [f.ruleId, f.file, f.line])).toEqual([
        ['incomplete-scan', 'huge.js', 1],
        ['insecure-verification', 'big.js', 8002],
      ]);
      expect(report.findings[0].message).toContain('source code over 2.0 MB is not parsed, so insecure-verification and hardcoded-secret did not read it');
    } finally {
      tree.cleanup();
    }
  });

  it('does not read built code (minified bundles) as source', async () => {
    const bundle = `${INSECURE.replace(/\n/g, ';')}${'var a=1;'.repeat(5000)}\n`;
    // over the parse limit too: built code is not reported as code left unread
    const huge = `${INSECURE.replace(/\n/g, ';')}${'var a=1;'.repeat(320_000)}\n`;
    const tree = tempTree({ 'dist/bundle.js': bundle, 'dist/vendor.js': huge, 'app.min.js': INSECURE, 'src/app.js': INSECURE });
    try {
      const { report } = await scanJson(tree.dir);
      expect(report.findings.map((f: { file: string }) => f.file)).toEqual(['src/app.js']);
    } finally {
      tree.cleanup();
    }
  });

  it('parses only source files that name a JWT library (a byte search first)', () => {
    const tree = tempTree({ 'plain.js': 'export const add = (a, b) => a + b;\n', 'uses.js': INSECURE, 'notes.txt': INSECURE });
    try {
      const reader = new FileReader(Number.POSITIVE_INFINITY);
      const look = (name: string) => reader.look({ absolute: path.join(tree.dir, name), relative: name, kind: 'file' } as Parameters<FileReader['look']>[0]);
      expect(look('plain.js').kind).toBe('clean');
      expect(look('uses.js')).toMatchObject({ kind: 'hit', code: true });
      expect(look('notes.txt').kind).toBe('clean'); // not source code: the code checks do not read it
    } finally {
      tree.cleanup();
    }
  });
});

describe('code checks in the bundle', () => {
  const CLI_DIR = path.resolve('dist');

  it('find the same with reading threads as with one thread', () => {
    const tree = tempTree({ 'a.js': INSECURE, 'b.py': `import jwt\njwt.decode(t, options={"verify_signature": False})\n`, 'c.go': 'package c\nimport "github.com/golang-jwt/jwt/v5"\nvar m = jwt.SigningMethodNone\n' });
    try {
      const run = (threads: string) => spawnSync(process.execPath, [path.join(CLI_DIR, 'cli/index.js'), 'scan', '--format', 'json'], { cwd: tree.dir, encoding: 'utf8', env: { PATH: process.env.PATH, JWT_GUARD_THREADS: threads } });
      const one = JSON.parse(run('1').stdout).findings;
      const three = JSON.parse(run('3').stdout).findings;
      expect(one.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual(['a.js:2', 'b.py:2', 'c.go:3']);
      expect(three).toEqual(one);
    } finally {
      tree.cleanup();
    }
  });

  it('reports a grammar that does not load as incomplete-scan, and the other languages still work', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'jwt-guard-dist-'));
    const tree = tempTree({ 'a.js': INSECURE, 'b.py': 'import jwt\njwt.decode(t, options={"verify_signature": False})\n' });
    try {
      cpSync(CLI_DIR, copy, { recursive: true });
      writeFileSync(path.join(copy, 'grammars', 'tree-sitter-python.wasm'), 'not WebAssembly');
      const run = spawnSync(process.execPath, [path.join(copy, 'cli/index.js'), 'scan', '--format', 'json'], { cwd: tree.dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
      expect(run.status).toBe(1);
      const findings = JSON.parse(run.stdout).findings;
      expect(findings.map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`)).toEqual(['incomplete-scan b.py', 'insecure-verification a.js']);
      expect(findings[0].message).toContain('the python grammar could not be loaded');
    } finally {
      rmSync(copy, { recursive: true, force: true });
      tree.cleanup();
    }
  });
});

describe('code checks on hostile source', () => {
  it('reads deep chains, deep nesting and long lines without a crash, and still finds the call', async () => {
    const chain = `x${'.a'.repeat(20000)}.verify(t)`;
    const nested = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const calls = `${'f('.repeat(3000)}1${')'.repeat(3000)}`;
    const tree = tempTree({ 'deep.js': `const jwt = require('jsonwebtoken');\n${chain};\nconst n = ${nested};\nconst c = ${calls};\n${INSECURE.split('\n')[1]}\n${'// written code has short lines, so this is not taken for a bundle\n'.repeat(2000)}` });
    try {
      const { report } = await scanJson(tree.dir);
      expect(report.findings.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line])).toEqual([['insecure-verification', 5]]);
    } finally {
      tree.cleanup();
    }
  });
});
