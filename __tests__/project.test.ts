/** Promises the project makes about itself. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
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

  it('pins the Action to node24 and kebab-case inputs', () => {
    const yml = readFileSync('action.yml', 'utf8');
    expect(yml).toMatch(/^\s+using: node24$/m);
    expect(yml).toMatch(/^\s+main: dist\/action\/index\.js$/m);
    const inputs = yml.slice(yml.indexOf('inputs:'), yml.indexOf('outputs:')).match(/^ {2}([a-z0-9-]+):$/gm)!.map((s) => s.trim().slice(0, -1));
    expect(inputs.length).toBeGreaterThan(3);
    for (const input of inputs) expect(input).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
