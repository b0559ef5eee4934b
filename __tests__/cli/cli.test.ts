import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS, runCli, type CliIo } from '../../src/cli/cli.js';
import { UserError } from '../../src/errors.js';
import * as k from '../helpers/keys.js';
import { cliIo } from '../helpers/cli.js';
import { tempTree } from '../helpers/scan.js';

const CLI = path.resolve('dist/cli/index.js');

function io(cwd: string, stdin = '') {
  let out = '';
  let err = '';
  const handle: CliIo = {
    cwd,
    env: {},
    stdout: { write: (t: string) => (out += t), isTTY: false },
    stderr: { write: (t: string) => (err += t) },
    stdin: () => [stdin],
  };
  return { handle, out: () => out, err: () => err };
}

const ecKey = () => k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);
const encrypted = () => k.encryptedPkcs8(k.keyPair({ type: 'rsa', bits: 2048 }).privateKey);

describe('jwt-guard scan', () => {
  it('exits 0 on a clean tree and 1 on findings at or above --fail-on', async () => {
    const clean = tempTree({ 'a.txt': 'hello' });
    const dirty = tempTree({ 'deploy/key.pem': ecKey(), 'old.pem': encrypted() });
    try {
      const a = io(clean.dir);
      expect(await runCli(['scan'], a.handle)).toBe(0);
      expect(a.out()).toContain('✔ 0 findings');
      const b = io(dirty.dir);
      expect(await runCli(['scan'], b.handle)).toBe(1);
      expect(b.out()).toContain('./deploy/key.pem');
      // the encrypted key is a warning: below the default threshold, at or above 'warning'
      const c = io(dirty.dir);
      const onlyWarning = tempTree({ 'old.pem': encrypted() });
      expect(await runCli(['scan', onlyWarning.dir], c.handle)).toBe(0);
      expect(await runCli(['scan', onlyWarning.dir, '--fail-on', 'warning'], io(dirty.dir).handle)).toBe(1);
      expect(await runCli(['scan', '--fail-on', 'none'], io(dirty.dir).handle)).toBe(0);
      onlyWarning.cleanup();
    } finally {
      clean.cleanup();
      dirty.cleanup();
    }
  });

  it('ends the text report with totals per rule, why it fails and what to do next, paths relative to where it runs, wrapped on a terminal', async () => {
    const tree = tempTree({ 'k.pem': ecKey(), 'sub/old.pem': encrypted(), 'sub/other.pem': encrypted() });
    try {
      const run = io(path.join(tree.dir, 'sub'));
      expect(await runCli(['scan', '..'], run.handle)).toBe(1);
      const out = run.out();
      expect(out).toMatch(/^\.\.\/k\.pem$/m);
      expect(out).toMatch(/^\.\/old\.pem$/m);
      expect(out).not.toContain('sub/old.pem');
      expect(out).toContain('  private-key  1 error, 2 warnings\n');
      expect(out).toContain("  fails on 1 finding at or above 'error' (1 private-key)\n");
      expect(out).toMatch(/^next: rotate what leaked .*'# jwt-guard-ignore-next-line RULE -- REASON'.*'jwt-guard init --baseline'$/m);
      // on a terminal 60 columns wide, no line is wider but for one word too long for any line (a thumbprint)
      const narrow = io(path.join(tree.dir, 'sub'));
      Object.assign(narrow.handle.stdout, { isTTY: true, columns: 60 });
      await runCli(['scan', '..', '--no-color'], narrow.handle);
      const lines = narrow.out().trimEnd().split('\n');
      expect(lines.filter((l) => l.length > 60 && l.trim().includes(' '))).toEqual([]);
      expect(lines.length).toBeGreaterThan(out.trimEnd().split('\n').length);
      // the words are the same, only the breaks moved
      const words = (text: string) => text.replace(/in [\d.]+ s/, 'in ? s').replace(/\s+/g, ' ');
      expect(words(narrow.out())).toBe(words(out));
    } finally {
      tree.cleanup();
    }
  });

  it('writes json and sarif reports to --output whole, and says so on stderr', async () => {
    const tree = tempTree({ 'key.pem': ecKey() });
    try {
      const run = io(tree.dir);
      expect(await runCli(['scan', '--format', 'sarif', '--output', 'out/report.sarif'], run.handle)).toBe(1);
      expect(run.out()).toBe('');
      expect(run.err()).toContain('sarif report written to out/report.sarif');
      expect(run.err()).toContain("jwt-guard found 1 finding at or above 'error' (1 private-key)");
      const sarif = JSON.parse(readFileSync(path.join(tree.dir, 'out/report.sarif'), 'utf8'));
      expect(sarif.runs[0].results).toHaveLength(1);
      const json = io(tree.dir);
      await runCli(['scan', '--format', 'json'], json.handle);
      expect(JSON.parse(json.out()).findings[0].file).toBe('key.pem');
    } finally {
      tree.cleanup();
    }
  });

  it('writes a baseline, then accepts what it holds and still reports what is new', async () => {
    const tree = tempTree({ 'a.pem': ecKey() });
    try {
      const write = io(tree.dir);
      expect(await runCli(['scan', '--write-baseline', '.jwt-guard-baseline.json'], write.handle)).toBe(0);
      const baseline = JSON.parse(readFileSync(path.join(tree.dir, '.jwt-guard-baseline.json'), 'utf8'));
      expect(baseline).toEqual({ version: 1, findings: [{ fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/), ruleId: 'private-key', file: 'a.pem', line: 1 }] });
      const again = io(tree.dir);
      expect(await runCli(['scan', '--baseline', '.jwt-guard-baseline.json'], again.handle)).toBe(0);
      expect(again.out()).toContain('1 suppressed (1 by baseline)');
      writeFileSync(path.join(tree.dir, 'b.pem'), ecKey());
      const later = io(tree.dir);
      expect(await runCli(['scan', '--baseline', '.jwt-guard-baseline.json'], later.handle)).toBe(1);
      expect(later.out()).toContain('./b.pem');
      expect(later.out()).not.toContain('./a.pem');
    } finally {
      tree.cleanup();
    }
  });

  it('scans standard input as a log with --stdin-log, without scanning files', async () => {
    const tree = tempTree({ 'key.pem': ecKey() });
    try {
      const run = io(tree.dir, `2026-11-23T10:00:00Z loading key ${JSON.stringify(ecKey())}\n`);
      expect(await runCli(['scan', '--stdin-log', '--format', 'json'], run.handle)).toBe(1);
      const doc = JSON.parse(run.out());
      expect(doc.findings.map((f: { file: string }) => f.file)).toEqual(['<stdin>']);
    } finally {
      tree.cleanup();
    }
  });

  it('stops on a bad policy before scanning, naming the file, pointer, line and column', async () => {
    const tree = tempTree({ '.github/jwt-guard.json': '{\n  "rules": { "private-key": "loud" }\n}\n', 'key.pem': ecKey() });
    try {
      await expect(runCli(['scan'], io(tree.dir).handle)).rejects.toThrow(/jwt-guard\.json:2:29: \/rules\/private-key: must be a severity/);
    } finally {
      tree.cleanup();
    }
  });

  it('rejects bad usage as a user error', async () => {
    await expect(runCli(['scan', '--format', 'xml'], io('.').handle)).rejects.toThrow(UserError);
    await expect(runCli(['scan', '--bogus'], io('.').handle)).rejects.toThrow(UserError);
    await expect(runCli(['frobnicate'], io('.').handle)).rejects.toThrow(/unknown command 'frobnicate'/);
    // one line that says where to look, not the whole manual
    await expect(runCli(['scan', '--bogus'], io('.').handle)).rejects.toThrow(/^Unknown option '--bogus': run jwt-guard scan --help for its options$/);
  });

  it('renders every command\'s help from its declared options, which are the options it parses', async () => {
    for (const command of COMMANDS) {
      const run = io('.');
      expect(await runCli([command.name, '--help'], run.handle)).toBe(0);
      for (const [name, option] of Object.entries(command.options)) {
        if (!option.hidden) expect(run.out()).toContain(`--${name}${option.value ? ` ${option.value}` : ''}`);
      }
      const all = io('.');
      await runCli(['help'], all.handle);
      expect(all.out()).toContain(`${command.name} options:`);
    }
  });
});

describe('finding the policy, and the exit code for findings', () => {
  const off = JSON.stringify({ rules: { 'private-key': 'off' } });
  const run = async (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const c = cliIo(cwd, '', env);
    const code = await runCli(args, c.handle).catch((e: Error) => e);
    return { code, out: c.out(), err: c.err() };
  };

  it('reads jwt-guard.json or .jwt-guard.json in the root as it reads .github/jwt-guard.json, and refuses two at once', async () => {
    for (const name of ['jwt-guard.json', '.jwt-guard.json', '.github/jwt-guard.json']) {
      const tree = tempTree({ [name]: off, 'key.pem': ecKey() });
      try {
        expect((await run(tree.dir, ['scan'])).code).toBe(0);
      } finally {
        tree.cleanup();
      }
    }
    const both = tempTree({ 'jwt-guard.json': off, '.github/jwt-guard.json': off, 'key.pem': ecKey() });
    try {
      const { code } = await run(both.dir, ['scan']);
      expect(code).toBeInstanceOf(UserError);
      expect((code as UserError).code).toBe('ERR_POLICY_AMBIGUOUS');
      expect((code as Error).message).toMatch(/^\.github\/jwt-guard\.json and jwt-guard\.json are both policies in .*: keep one .* or name one with --policy$/);
      // naming one settles it
      expect((await run(both.dir, ['scan', '--policy', 'jwt-guard.json'])).code).toBe(0);
    } finally {
      both.cleanup();
    }
  });

  it('takes the policy from JWT_GUARD_POLICY when --policy is not given, and says where a missing one came from', async () => {
    const tree = tempTree({ 'config/policy.json': off, 'key.pem': ecKey() });
    try {
      expect((await run(tree.dir, ['scan'])).code).toBe(1);
      expect((await run(tree.dir, ['scan'], { JWT_GUARD_POLICY: 'config/policy.json' })).code).toBe(0);
      // --policy wins over the environment
      const strict = path.join(tree.dir, 'config/strict.json');
      writeFileSync(strict, JSON.stringify({ extends: 'strict' }));
      expect((await run(tree.dir, ['scan', '--policy', strict], { JWT_GUARD_POLICY: 'config/policy.json' })).code).toBe(1);
      const missing = await run(tree.dir, ['scan'], { JWT_GUARD_POLICY: 'config/nope.json' });
      expect((missing.code as Error).message).toBe('policy file not found: ' + path.join(tree.dir, 'config/nope.json') + ' (from JWT_GUARD_POLICY)');
      // check and the key commands read it too
      expect(((await run(tree.dir, ['check', '--file', 'key.pem'], { JWT_GUARD_POLICY: 'config/nope.json' })).code as Error).message).toContain('(from JWT_GUARD_POLICY)');
    } finally {
      tree.cleanup();
    }
  });

  it('exits with --exit-code N on findings, 0 without, and refuses codes that mean something else', async () => {
    const dirty = tempTree({ 'key.pem': ecKey() });
    const clean = tempTree({ 'a.txt': 'hello' });
    try {
      expect((await run(dirty.dir, ['scan', '--exit-code', '20'])).code).toBe(20);
      expect((await run(clean.dir, ['scan', '--exit-code', '20'])).code).toBe(0);
      expect((await run(dirty.dir, ['scan', '--exit-code', '20', '--fail-on', 'none'])).code).toBe(0);
      for (const bad of ['0', '2', '3', '126', '-1', 'x']) {
        const { code } = await run(dirty.dir, ['scan', `--exit-code=${bad}`]);
        expect((code as Error).message).toMatch(/^--exit-code must be a number from 1 to 125 other than 2 \(usage error\) and 3 \(internal error\)/);
      }
      expect(((await run(dirty.dir, ['scan', '--exit-code', '0'])).code as Error).message).toContain('use --fail-on none');
      // a value that looks like an option: one line that says how to write it
      expect(((await run(dirty.dir, ['scan', '--exit-code', '-1'])).code as Error).message).toBe("Option '--exit-code' argument is ambiguous (a value that starts with a dash is written --option=VALUE): run jwt-guard scan --help for its options");
    } finally {
      dirty.cleanup();
      clean.cleanup();
    }
  });
});

describe('jwt-guard scan --quiet, --verbose and --tee', () => {
  it('--quiet prints only what fails the run and why, and nothing when it passes', async () => {
    const tree = tempTree({ 'k.pem': ecKey(), 'old.pem': encrypted() });
    const clean = tempTree({ 'old.pem': encrypted() });
    try {
      const run = cliIo(tree.dir);
      expect(await runCli(['scan', '-q'], run.handle)).toBe(1);
      expect(run.out()).toContain('./k.pem');
      expect(run.out()).not.toContain('old.pem'); // a warning, below --fail-on error
      expect(run.out().trimEnd().split('\n').at(-1)).toBe("jwt-guard found 1 finding at or above 'error' (1 private-key)");
      expect(run.out()).not.toContain('next:');
      const passing = cliIo(clean.dir);
      expect(await runCli(['scan', '--quiet'], passing.handle)).toBe(0);
      expect(passing.out()).toBe('');
      expect(passing.err()).toBe('');
      await expect(runCli(['scan', '-q', '-v'], cliIo(tree.dir).handle)).rejects.toThrow('--quiet and --verbose cannot be combined: choose one');
    } finally {
      tree.cleanup();
      clean.cleanup();
    }
  });

  it('--verbose names the policy and what was scanned, and lists every suppressed finding with what accepted it and why', async () => {
    const tree = tempTree({
      '.github/jwt-guard.json': JSON.stringify({ ignore: [{ paths: ['vendor/**'], reason: 'upstream test vectors' }] }),
      'vendor/k.pem': ecKey(),
      'inline.txt': `# jwt-guard-ignore-next-line private-key -- RFC 8037 example\n${ecKey()}`,
      'k.pem': ecKey(),
    });
    try {
      const run = cliIo(tree.dir);
      expect(await runCli(['scan', '--verbose'], run.handle)).toBe(1);
      expect(run.err()).toMatch(/^jwt-guard: policy \S*\.github\/jwt-guard\.json; fails on error$/m);
      expect(run.err()).toMatch(/^jwt-guard: 4 files scanned .*; 1 findings, 2 suppressed, 0 skipped; reading threads: 1$/m);
      expect(run.out()).toContain('suppressed (2):');
      expect(run.out()).toMatch(/^ {2}\.\/inline\.txt:2:1 {2}private-key {2}accepted inline: RFC 8037 example$/m);
      expect(run.out()).toMatch(/^ {2}\.\/vendor\/k\.pem:1:1 {2}private-key {2}accepted by the policy's ignore list: upstream test vectors$/m);
      // the default report counts them and does not list them
      const plain = cliIo(tree.dir);
      await runCli(['scan'], plain.handle);
      expect(plain.out()).not.toContain('accepted inline');
      expect(plain.err()).toBe('');
    } finally {
      tree.cleanup();
    }
  });

  it('--tee passes standard input through unchanged, all of it, and reports on standard error', async () => {
    const tree = tempTree({ '.github/jwt-guard.json': JSON.stringify({ files: { maxFileSize: '1KB' } }) });
    try {
      const log = ['step 1: building', `step 2: loaded ${JSON.stringify(ecKey())}`, 'x'.repeat(3000), 'step 3: done', ''].join('\n');
      const chunks = log.match(/[^]{1,500}/g)!;
      const run = cliIo(tree.dir, chunks);
      expect(await runCli(['scan', '--stdin-log', '--tee'], run.handle)).toBe(1);
      expect(run.out()).toBe(log);
      // the part beyond the cap passed through, and the report says it was not scanned
      expect(run.err()).toContain('incomplete-scan');
      expect(run.err()).toContain('private-key');
      const json = cliIo(tree.dir, 'nothing here\n');
      expect(await runCli(['scan', '--stdin-log', '--tee', '--format', 'json'], json.handle)).toBe(0);
      expect(json.out()).toBe('nothing here\n');
      expect(JSON.parse(json.err()).summary.findings).toBe(0);
      // a policy error stops the scan, not the log
      const broken = tempTree({ '.github/jwt-guard.json': '{ "rules": 1 }' });
      const stopped = cliIo(broken.dir, 'the step output\n');
      await expect(runCli(['scan', '--stdin-log', '--tee'], stopped.handle)).rejects.toThrow(/invalid policy/);
      expect(stopped.out()).toBe('the step output\n');
      broken.cleanup();
      await expect(runCli(['scan', '--tee'], cliIo(tree.dir).handle)).rejects.toThrow('--tee passes standard input through: it goes with --stdin-log or --stdin-diff');
    } finally {
      tree.cleanup();
    }
  });
});

describe('jwt-guard init', () => {
  it('writes a valid starter policy with $schema, then refuses to overwrite it', async () => {
    const tree = tempTree({});
    try {
      const first = io(tree.dir);
      expect(await runCli(['init', '--preset', 'strict'], first.handle)).toBe(0);
      const policy = JSON.parse(readFileSync(path.join(tree.dir, '.github/jwt-guard.json'), 'utf8'));
      expect(policy).toMatchObject({ $schema: expect.stringContaining('policy.schema.json'), extends: 'strict' });
      await expect(runCli(['init'], io(tree.dir).handle)).rejects.toThrow(/already exists; not overwriting/);
      expect(await runCli(['scan'], io(tree.dir).handle)).toBe(0);
    } finally {
      tree.cleanup();
    }
  });
});

describe('the bundled CLI (dist/cli/index.js)', () => {
  const run = (args: string[], cwd: string, input?: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input: input ?? '', env: { ...process.env, NO_COLOR: '1' } });

  it('maps outcomes to exit codes 0, 1 and 2', () => {
    expect(existsSync(CLI)).toBe(true);
    const tree = tempTree({ 'key.pem': ecKey(), 'bad/.github/jwt-guard.json': '{"extends": 1}' });
    try {
      expect(run(['scan', 'bad', '--policy', 'nonexistent.json'], tree.dir).status).toBe(2);
      const bad = run(['scan', 'bad'], tree.dir);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('/extends: must be');
      expect(run(['scan'], tree.dir).status).toBe(1);
      expect(run(['scan', '--fail-on', 'none'], tree.dir).status).toBe(0);
      expect(run(['--version'], tree.dir).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
      const unwritable = run(['scan', '--output', 'bad'], tree.dir);
      expect(unwritable.status).toBe(2);
      expect(unwritable.stderr).toMatch(/^jwt-guard: cannot write \S*\/bad: EISDIR\n$/);
      expect(readdirSync(path.join(tree.dir, 'bad')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      tree.cleanup();
    }
  });

  it('reports the same with reading threads as with one thread, whatever the files', () => {
    const files: Record<string, string | Buffer> = {};
    for (let i = 0; i < 600; i++) files[`src/m${i}.js`] = `export const v${i} = ${i};\n`;
    for (let i = 0; i < 6; i++) files[`keys/k${i}.pem`] = k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);
    for (let i = 0; i < 20; i++) files[`assets/b${i}.bin`] = Buffer.from([0, 1, 2, 3, i]);
    files['keys/gone.pem'] = k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);
    files['logs/huge.log'] = `${'x'.repeat(1024)}\n`.repeat(3 << 10) + `# jwt-guard-ignore-next-line\n${k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey)}` + 'tail\n'.repeat(300_000);
    files['big/too-large.txt'] = 'y'.repeat(9 << 20);
    const tree = tempTree(files, { git: true, untracked: { 'new/untracked.pem': k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey) } });
    try {
      rmSync(path.join(tree.dir, 'keys/gone.pem'));
      mkdirSync(path.join(tree.dir, '.github'));
      writeFileSync(path.join(tree.dir, '.github/jwt-guard.json'), JSON.stringify({ files: { maxFileSize: '8MB' } }));
      const scanWith = (threads: string) => spawnSync(process.execPath, [CLI, 'scan', '--format', 'json', '--fail-on', 'none'], { cwd: tree.dir, encoding: 'utf8', env: { ...process.env, JWT_GUARD_THREADS: threads } });
      const report = (threads: string) => {
        const run = scanWith(threads);
        expect(run.stderr).toBe('');
        const { summary, ...rest } = JSON.parse(run.stdout);
        const { durationMs: _durationMs, ...stable } = summary;
        return { ...rest, summary: stable };
      };
      const one = report('1');
      expect(one.findings.map((f: { file: string }) => f.file).sort()).toEqual(['big/too-large.txt', ...Array.from({ length: 6 }, (_, i) => `keys/k${i}.pem`), 'new/untracked.pem']);
      expect(one.findings.find((f: { file: string }) => f.file === 'big/too-large.txt')).toMatchObject({ ruleId: 'incomplete-scan', severity: 'error', message: expect.stringContaining('over files.maxFileSize') });
      expect(one.suppressed.map((f: { file: string }) => f.file)).toEqual(['logs/huge.log']);
      expect(one.skipped).toEqual([]);
      expect(one.summary.binaryFiles).toBe(20);
      expect(report('2')).toEqual(one);
      expect(report('3')).toEqual(one);
      expect(scanWith('lots').stderr).toContain('JWT_GUARD_THREADS must be a number of threads');
    } finally {
      tree.cleanup();
    }
  });

  it('reads a piped log', () => {
    const result = run(['scan', '--stdin-log'], '.', `key=${JSON.stringify(ecKey())}`);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^<stdin>$/m);
  });
});

describe('failures', () => {
  const capture = () => {
    let text = '';
    return { stream: { write: (t: string) => (text += t) }, text: () => text };
  };

  it('a user error is one line and exit code 2', async () => {
    const { reportFailure } = await import('../../src/cli/exit.js');
    const out = capture();
    expect(reportFailure(new UserError('ERR_USAGE', 'bad flag'), out.stream, {})).toBe(2);
    expect(out.text()).toBe('jwt-guard: bad flag\n');
  });

  it('an internal error is exit code 3, a short message, and the stack only when debugging', async () => {
    const { reportFailure } = await import('../../src/cli/exit.js');
    const quiet = capture();
    expect(reportFailure(new TypeError('x is undefined'), quiet.stream, {})).toBe(3);
    expect(quiet.text()).toBe('jwt-guard: internal error: x is undefined\nSet JWT_GUARD_DEBUG=1 for the stack trace, and report it.\n');
    const debug = capture();
    reportFailure(new TypeError('x is undefined'), debug.stream, { JWT_GUARD_DEBUG: '1' });
    expect(debug.text()).toMatch(/^jwt-guard: internal error: x is undefined\nTypeError: x is undefined\n\s+at /);
  });
});
