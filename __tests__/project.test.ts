/** Promises the project makes about itself. */
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitRepo } from './helpers/git.js';
import * as k from './helpers/keys.js';
import { runCli, type CliIo } from '../src/cli/cli.js';
import { VERSION } from '../src/version.js';

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

  it('pins the Action to node24 and kebab-case inputs', () => {
    const yml = readFileSync('action.yml', 'utf8');
    expect(yml).toMatch(/^\s+using: node24$/m);
    expect(yml).toMatch(/^\s+main: dist\/action\/index\.js$/m);
    const inputs = yml.slice(yml.indexOf('inputs:'), yml.indexOf('outputs:')).match(/^ {2}([a-z0-9-]+):$/gm)!.map((s) => s.trim().slice(0, -1));
    expect(inputs.length).toBeGreaterThan(3);
    for (const input of inputs) expect(input).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
