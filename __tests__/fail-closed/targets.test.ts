/** What the scan is pointed at: files and directories, any number, and never a pass on nothing read. */
import { describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/cli.js';
import { UserError } from '../../src/errors.js';
import { RULES } from '../../src/rules/index.js';
import { threadsFromEnv } from '../../src/pipeline/settings.js';
import { runAction } from '../helpers/action.js';
import { cliIo, runAsUser } from '../helpers/cli.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';

const key = () => k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);

async function scanJson(cwd: string, args: string[]) {
  const run = cliIo(cwd);
  const code = await runCli(['scan', '--format', 'json', ...args], run.handle);
  return { code, doc: JSON.parse(run.out()) };
}

describe('scan targets', () => {
  it('scans a file named on the command line, in git and outside it', async () => {
    for (const git of [true, false]) {
      const repo = tempTree({ 'deploy/signing.pem': key(), 'README.md': 'hello' }, { git });
      try {
        const { code, doc } = await scanJson(repo.dir, ['deploy/signing.pem']);
        expect(code).toBe(1);
        expect(doc.findings.map((f: { ruleId: string; file: string }) => [f.ruleId, f.file])).toEqual([['private-key', git ? 'deploy/signing.pem' : 'signing.pem']]);
        expect(doc.summary.filesScanned).toBe(1);
      } finally {
        repo.cleanup();
      }
    }
  });

  it('takes several paths, files and directories, as pre-commit passes them, each file once', async () => {
    const repo = tempTree({ 'a/one.pem': key(), 'b/two.pem': key(), 'c/three.pem': key(), 'c/clean.txt': 'x' }, { git: true });
    try {
      const { code, doc } = await scanJson(repo.dir, ['a/one.pem', 'c', 'c/three.pem', 'a']);
      expect(code).toBe(1);
      expect(doc.findings.map((f: { file: string }) => f.file).sort()).toEqual(['a/one.pem', 'c/three.pem']);
      expect(doc.summary.filesScanned).toBe(3);
    } finally {
      repo.cleanup();
    }
  });

  it('refuses a path that does not exist with a usage error naming it', async () => {
    const repo = tempTree({ 'a.txt': 'x' });
    try {
      await expect(runCli(['scan', 'a.txt', 'missing.pem'], cliIo(repo.dir).handle)).rejects.toThrow(new UserError('ERR_USAGE', "cannot scan 'missing.pem': no such file or directory"));
    } finally {
      repo.cleanup();
    }
  });

  it('is a usage error, naming the globs, when the policy selects none of the files there are', async () => {
    const typo = tempTree({ 'src/key.pem': key(), 'src/app.js': 'x', '.github/jwt-guard.json': JSON.stringify({ files: { include: ['scr/**'] } }) });
    const everything = tempTree({ 'src/key.pem': key(), '.github/jwt-guard.json': JSON.stringify({ files: { exclude: ['**/node_modules/**', 'src/**', '.github/**'] } }) });
    try {
      await expect(runCli(['scan'], cliIo(typo.dir).handle)).rejects.toThrow(/nothing was read: '\.' holds 3 files, and the policy \(.*\) selects none of them: files\.include \[scr\/\*\*\] matches none of 3 \(such as /);
      const error = await runCli(['scan'], cliIo(everything.dir).handle).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      // only the globs that removed something are named
      expect((error as Error).message).toContain('files.exclude [src/**, .github/**] removes 2');
      expect((error as Error).message).not.toContain('node_modules');
    } finally {
      typo.cleanup();
      everything.cleanup();
    }
  });

  it('is a usage error when git ignores every file of a directory named, and scans the files when they are named', async () => {
    const repo = tempTree({ '.gitignore': 'build/\n', 'src/a.js': 'x' }, { git: true });
    try {
      mkdirSync(path.join(repo.dir, 'build/out'), { recursive: true });
      writeFileSync(path.join(repo.dir, 'build/out/key.pem'), key());
      await expect(runCli(['scan', 'build'], cliIo(repo.dir).handle)).rejects.toThrow("nothing was read: 'build' holds files, and none was listed: in 'build' every file there is ignored (by git's ignore rules)");
      const { code, doc } = await scanJson(repo.dir, ['build/out/key.pem']);
      expect(code).toBe(1);
      expect(doc.findings.map((f: { file: string }) => f.file)).toEqual(['build/out/key.pem']);
    } finally {
      repo.cleanup();
    }
  });

  it('passes an empty directory, and says it held nothing', async () => {
    const empty = tempTree({});
    try {
      const run = cliIo(empty.dir);
      expect(await runCli(['scan'], run.handle)).toBe(0);
      expect(run.out()).toContain('nothing to scan: the paths given hold no files');
    } finally {
      empty.cleanup();
    }
  });

  it('the Action takes a file, or several paths one per line, for path', () => {
    const repo = tempTree({ 'deploy/signing.pem': key(), 'other/b.pem': key(), 'clean.txt': 'x' }, { git: true });
    try {
      const one = runAction(repo.dir, { path: 'deploy/signing.pem' });
      expect(one.status).toBe(1);
      expect(one.outputs.findings).toBe('1');
      expect(one.stdout).toMatch(/^::error title=jwt-guard private-key,file=deploy\/signing\.pem,/m);
      const two = runAction(repo.dir, { path: 'deploy/signing.pem\nother' });
      expect(two.outputs.findings).toBe('2');
    } finally {
      repo.cleanup();
    }
  });
});

describe('reading threads', () => {
  it('JWT_GUARD_THREADS is capped at the cores: threads beyond them only contend', () => {
    expect(threadsFromEnv({ JWT_GUARD_THREADS: '64' }, 2)).toBe(2);
    expect(threadsFromEnv({ JWT_GUARD_THREADS: '1' }, 8)).toBe(1);
    expect(threadsFromEnv({}, 8)).toBeUndefined();
  });
});

describe('incomplete-scan', () => {
  it('is a rule like any other: in the registry, with help and security-severity', () => {
    const rule = RULES.find((r) => r.meta.id === 'incomplete-scan');
    expect(rule?.meta).toMatchObject({ defaultSeverity: 'error', securitySeverity: expect.any(Number) });
    expect(rule!.meta.help).toContain('What to do');
  });

  it('reports a file it cannot read, and a directory it cannot list, and goes on with the rest', () => {
    const repo = tempTree({ 'open/key.pem': key(), 'locked.pem': key(), 'closed/inner.pem': key() });
    try {
      chmodSync(repo.dir, 0o755);
      for (const dir of ['open']) chmodSync(path.join(repo.dir, dir), 0o755);
      chmodSync(path.join(repo.dir, 'open/key.pem'), 0o644);
      chmodSync(path.join(repo.dir, 'locked.pem'), 0o000);
      chmodSync(path.join(repo.dir, 'closed'), 0o000);
      const run = runAsUser(['scan', '--format', 'json'], repo.dir);
      expect(run.status).toBe(1);
      const doc = JSON.parse(run.stdout);
      expect(doc.findings.map((f: { ruleId: string; file: string }) => [f.ruleId, f.file]).sort()).toEqual([
        ['incomplete-scan', 'closed'],
        ['incomplete-scan', 'locked.pem'],
        ['private-key', 'open/key.pem'],
      ]);
      expect(doc.findings.find((f: { file: string }) => f.file === 'locked.pem').message).toContain('EACCES');
      expect(doc.findings.find((f: { file: string }) => f.file === 'closed').message).toContain('cannot be listed');
    } finally {
      chmodSync(path.join(repo.dir, 'closed'), 0o755);
      repo.cleanup();
    }
  });

  it('in git too: an untracked directory git cannot open is reported', () => {
    const repo = tempTree({ 'tracked.txt': 'x' }, { git: true, untracked: { 'new/secret.pem': key() } });
    try {
      chmodSync(repo.dir, 0o755);
      chmodSync(path.join(repo.dir, 'tracked.txt'), 0o644);
      chmodSync(path.join(repo.dir, 'new'), 0o000);
      const run = runAsUser(['scan', '--format', 'json'], repo.dir);
      const doc = JSON.parse(run.stdout);
      expect(doc.findings.map((f: { ruleId: string; file: string }) => [f.ruleId, f.file])).toEqual([['incomplete-scan', 'new']]);
    } finally {
      chmodSync(path.join(repo.dir, 'new'), 0o755);
      repo.cleanup();
    }
  });

  it('appears in SARIF and annotations, and no baseline accepts it', async () => {
    const repo = tempTree({ 'big.txt': 'x'.repeat(5000), '.github/jwt-guard.json': JSON.stringify({ files: { maxFileSize: 1024 } }) });
    try {
      const sarif = cliIo(repo.dir);
      expect(await runCli(['scan', '--format', 'sarif'], sarif.handle)).toBe(1);
      const log = JSON.parse(sarif.out());
      expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['incomplete-scan']);
      expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('incomplete-scan');
      // --write-baseline leaves it out, and a baseline holding its fingerprint does not accept it
      const written = cliIo(repo.dir);
      expect(await runCli(['scan', '--write-baseline', 'baseline.json'], written.handle)).toBe(0);
      const fingerprint = log.runs[0].results[0].partialFingerprints['jwtGuard/v1'];
      writeFileSync(path.join(repo.dir, 'baseline.json'), JSON.stringify({ version: 1, findings: [{ fingerprint, ruleId: 'incomplete-scan', file: 'big.txt', line: 1 }] }));
      const again = cliIo(repo.dir);
      expect(await runCli(['scan', '--baseline', 'baseline.json'], again.handle)).toBe(1);
      const action = runAction(repo.dir, {});
      expect(action.stdout).toMatch(/^::error title=jwt-guard incomplete-scan,file=big\.txt,line=1/m);
    } finally {
      repo.cleanup();
    }
  });

  it('a tracked file replaced by a link is not followed out of the repository', async () => {
    const outside = tempTree({ 'secret.pem': key() });
    const repo = tempTree({ 'notes.txt': 'fine', 'config.txt': 'x' }, { git: true });
    try {
      const target = path.join(repo.dir, 'config.txt');
      writeFileSync(target, '');
      mkdirSync(path.join(repo.dir, 'sub'));
      const { rmSync } = await import('node:fs');
      rmSync(target);
      symlinkSync(path.join(outside.dir, 'secret.pem'), target);
      const { code, doc } = await scanJson(repo.dir, []);
      expect(code).toBe(0);
      expect(doc.findings).toEqual([]);
      expect(doc.skipped).toEqual([{ file: 'config.txt', reason: 'symlink-not-followed', detail: expect.stringContaining('not followed') }]);
    } finally {
      outside.cleanup();
      repo.cleanup();
    }
  });
});
