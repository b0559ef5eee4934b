/**
 * The Action, end to end: the bundled dist/action/index.js in a child process with the
 * runner's contract (INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
 * GITHUB_WORKSPACE), over a generated repository. One scenario per test.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ACTION, runAction } from '../helpers/action.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';

const ecKey = () => k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);

describe('the Action', () => {
  it('passes a clean repository, with outputs and a summary', () => {
    const repo = tempTree({ 'src/app.ts': 'export const x = 1;\n' }, { git: true });
    try {
      const run = runAction(repo.dir, {});
      expect(run.status).toBe(0);
      expect(run.outputs).toEqual({ findings: '0', 'sarif-file': '' });
      expect(run.summary).toContain('✅ No findings');
      expect(run.stdout).not.toMatch(/^::error/m);
    } finally {
      repo.cleanup();
    }
  });

  it('fails on committed keys: annotations capped per level, SARIF file, summary table, one-line reason', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`keys/k${String(i).padStart(2, '0')}.pem`] = ecKey();
    files['legacy/old.pem'] = k.encryptedPkcs8(k.keyPair({ type: 'rsa', bits: 2048 }).privateKey);
    files['we,ird:name.json'] = JSON.stringify(k.jwk(k.keyPair({ type: 'ed25519' }).privateKey));
    const repo = tempTree(files, { git: true });
    try {
      const run = runAction(repo.dir, { 'sarif-file': 'reports/jwt-guard.sarif', 'fail-on': 'error' });
      expect(run.status).toBe(1);
      expect(run.outputs.findings).toBe('14');
      expect(run.outputs['sarif-file']).toBe(path.join(repo.dir, 'reports/jwt-guard.sarif'));
      const sarif = JSON.parse(readFileSync(path.join(repo.dir, 'reports/jwt-guard.sarif'), 'utf8'));
      expect(sarif.runs[0].results).toHaveLength(14);

      const errors = run.stdout.match(/^::error title=jwt-guard private-key,file=[^\n]*::/gm) ?? [];
      expect(errors).toHaveLength(10);
      expect(run.stdout).toMatch(/^::error title=jwt-guard private-key,file=keys\/k00\.pem,line=1,endLine=\d+::EC P-256 private key/m);
      expect(run.stdout).toMatch(/^::warning title=jwt-guard private-key,file=legacy\/old\.pem,line=1,endLine=\d+::/m);
      expect(run.stdout).toMatch(/^::notice title=jwt-guard more findings::3 more findings are not shown/m);
      // the last line is the failure, in one line
      expect(run.stdout).toMatch(/^::error::jwt-guard found 13 findings at or above 'error' \(13 private-key\)$/m);

      expect(run.summary).toContain('❌ 14 findings (13 errors, 1 warning)');
      expect(run.summary).toContain('| 🔴 error | `private-key` | keys/k00.pem:1 |');
      expect(run.summary).toContain('we,ird:name.json:1');
    } finally {
      repo.cleanup();
    }
  });

  it('escapes annotation properties that come from file names', () => {
    const repo = tempTree({ 'we,ird:name.pem': ecKey() }, { git: true });
    try {
      const run = runAction(repo.dir, {});
      expect(run.stdout).toMatch(/^::error title=jwt-guard private-key,file=we%2Cird%3Aname\.pem,line=1,/m);
    } finally {
      repo.cleanup();
    }
  });

  it('prints the report inside a stop-commands block, so scanned text cannot issue workflow commands', () => {
    const hostile = `::add-mask::secret\n::stop-commands::evil\n::evil::\n%0A::error::forged\n${JSON.stringify({ ...k.jwk(k.keyPair({ type: 'ed25519' }).privateKey), kid: '::set-output name=findings::0' })}`;
    const repo = tempTree({ '::warning::x.json': hostile }, { git: true });
    try {
      const run = runAction(repo.dir, {});
      const stop = /^::stop-commands::([0-9a-f]{32})$/m.exec(run.stdout);
      expect(stop).not.toBeNull();
      const start = run.stdout.indexOf(stop![0]);
      const end = run.stdout.indexOf(`::${stop![1]}::`, start + 1);
      expect(end).toBeGreaterThan(start);
      const block = run.stdout.slice(start + stop![0].length, end);
      expect(block).toContain("kid '::set-output name=findings::0'");
      // outside the block, every line that starts with :: is one of ours
      const outside = run.stdout.slice(0, start) + run.stdout.slice(end);
      for (const line of outside.split('\n').filter((l) => l.startsWith('::'))) {
        expect(line).toMatch(/^::(group|endgroup|error|warning|notice|debug|stop-commands|[0-9a-f]{32})(::| )/);
      }
      expect(run.outputs.findings).toBe('1');
      expect(run.stdout).not.toMatch(/^::(stop-commands::evil|evil::|error::forged)/m);
    } finally {
      repo.cleanup();
    }
  });

  it('stops on a bad policy with the file, pointer and line in one failure message', () => {
    const repo = tempTree({ '.github/jwt-guard.json': '{"files": {"maxFileSize": "huge"}}', 'k.pem': ecKey() }, { git: true });
    try {
      const run = runAction(repo.dir, {});
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^::error::jwt-guard: invalid policy:%0A {2}.*jwt-guard\.json:1:27: \/files\/maxFileSize: must be 'none', a number of bytes or a size such as '100MB'/m);
      // and each problem annotated on the policy file, at its line and column
      expect(run.stdout).toMatch(/^::error title=jwt-guard policy,file=\.github\/jwt-guard\.json,line=1,col=27::\/files\/maxFileSize: must be 'none'/m);
      expect(run.outputs).toEqual({});
    } finally {
      repo.cleanup();
    }
  });

  it('refuses paths outside the workspace and bad input values', () => {
    const repo = tempTree({ 'a.txt': 'a' }, { git: true });
    try {
      expect(runAction(repo.dir, { path: '../..' }).stdout).toMatch(/^::error::jwt-guard: input 'path' must be a path inside the workspace/m);
      expect(runAction(repo.dir, { 'fail-on': 'critical' }).stdout).toMatch(/^::error::jwt-guard: input 'fail-on' must be one of error, warning, note, none, not 'critical'/m);
    } finally {
      repo.cleanup();
    }
  });

  it('uses the policy input and fail-on to decide', () => {
    const repo = tempTree({ 'ci/policy.json': JSON.stringify({ rules: { 'private-key': 'warning' } }), 'k.pem': ecKey() }, { git: true });
    try {
      expect(runAction(repo.dir, { policy: 'ci/policy.json' }).status).toBe(0);
      const strict = runAction(repo.dir, { policy: 'ci/policy.json', 'fail-on': 'warning' });
      expect(strict.status).toBe(1);
      expect(strict.outputs.findings).toBe('1');
      expect(existsSync(ACTION)).toBe(true);
    } finally {
      repo.cleanup();
    }
  });
});
