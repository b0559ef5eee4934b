/** Git history, ranges and staged changes, against real repositories built at test time. */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/cli.js';
import { reportFailure } from '../../src/cli/exit.js';
import { CatFile } from '../../src/sources/git.js';
import { cliIo } from '../helpers/cli.js';
import { gitRepo } from '../helpers/git.js';
import * as k from '../helpers/keys.js';
import * as t from '../helpers/tokens.js';

const key = () => k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  fingerprint: string;
  severity: string;
  message: string;
  commit?: { sha: string; date: string; path: string; introducedBy: string; removedBy?: string; inHead: boolean; occurrences: number };
}

async function scanJson(cwd: string, args: string[]): Promise<{ code: number; findings: JsonFinding[]; doc: Record<string, unknown> }> {
  const run = cliIo(cwd);
  const code = await runCli(['scan', '--format', 'json', '--fail-on', 'none', ...args], run.handle);
  const doc = JSON.parse(run.out());
  return { code, findings: doc.findings, doc };
}

async function failure(cwd: string, args: string[]): Promise<{ code: number; message: string }> {
  let message = '';
  try {
    await runCli(args, cliIo(cwd).handle);
  } catch (error) {
    return { code: reportFailure(error, { write: (text: string) => (message += text) }, {}), message };
  }
  throw new Error(`expected ${args.join(' ')} to fail`);
}

describe('scan --history', () => {
  it('finds a key added and removed in the next commit, with the commits that added and removed it', async () => {
    const repo = gitRepo();
    try {
      repo.commit('readme', { 'README.md': 'hello' });
      const added = repo.commit('add a key', { 'deploy/key.pem': key() });
      const removed = repo.commit('remove it', { 'deploy/key.pem': null });
      expect((await scanJson(repo.dir, [])).findings).toEqual([]);
      const { findings } = await scanJson(repo.dir, ['--history']);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ ruleId: 'private-key', file: 'deploy/key.pem', line: 1, commit: { sha: added, introducedBy: added, removedBy: removed, inHead: false, occurrences: 1, date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } });
    } finally {
      repo.cleanup();
    }
  });

  it('reports a secret in many commits and paths once, with its occurrences, at the path HEAD holds it (the fingerprint of a tree scan)', async () => {
    const repo = gitRepo();
    try {
      const pem = key();
      const first = repo.commit('add', { 'a/key.pem': pem });
      repo.commit('copy', { 'b/copy.pem': pem });
      repo.commit('move', { 'a/key.pem': null, 'c/moved.pem': pem });
      repo.commit('unrelated', { 'x.txt': 'x' });
      const tree = await scanJson(repo.dir, []);
      const history = await scanJson(repo.dir, ['--history']);
      expect(history.findings).toHaveLength(1);
      // shown where HEAD holds it, attributed to the commit and path that introduced that blob
      expect(history.findings[0]).toMatchObject({ ruleId: 'private-key', file: 'b/copy.pem', commit: { sha: first, path: 'a/key.pem', introducedBy: first, inHead: true, occurrences: 3 } });
      expect(tree.findings.map((f) => f.fingerprint)).toContain(history.findings[0]!.fingerprint);
      // one blob, read once
      expect((history.doc.summary as { filesScanned: number }).filesScanned).toBe(2);
    } finally {
      repo.cleanup();
    }
  });

  it('a key twice in one file is one occurrence of that file, and one finding', async () => {
    const repo = gitRepo();
    try {
      const pem = key();
      repo.commit('twice', { 'both.pem': `${pem}\n${pem}` });
      const { findings } = await scanJson(repo.dir, ['--history']);
      expect(findings.map((f) => [f.file, f.commit!.occurrences])).toEqual([['both.pem', 1]]);
    } finally {
      repo.cleanup();
    }
  });

  it('a key put back after its removal is in HEAD and not removed', async () => {
    const repo = gitRepo();
    try {
      const pem = key();
      repo.commit('add', { 'key.pem': pem });
      repo.commit('remove', { 'key.pem': null });
      repo.commit('add back', { 'key.pem': pem });
      const { findings } = await scanJson(repo.dir, ['--history']);
      expect(findings[0]!.commit).toMatchObject({ inHead: true, occurrences: 2 });
      expect(findings[0]!.commit).not.toHaveProperty('removedBy');
    } finally {
      repo.cleanup();
    }
  });

  it('reads every branch, merges included; --refs limits it to the refs named', async () => {
    const repo = gitRepo();
    try {
      repo.commit('init', { 'README.md': 'x' });
      repo.git('checkout', '-q', '-b', 'side');
      const onSide = repo.commit('side key', { 'side/key.pem': key() });
      repo.git('checkout', '-q', 'main');
      repo.commit('main change', { 'main.txt': 'y' });
      // a merge that brings nothing of the side branch but adds a key of its own (an 'evil merge')
      repo.git('merge', '-q', '--no-ff', '--no-commit', '-s', 'ours', 'side');
      writeFileSync(path.join(repo.dir, 'merge.pem'), key());
      repo.git('add', '-A');
      repo.git('commit', '-qm', 'merge side');
      const merge = repo.git('rev-parse', 'HEAD');
      repo.git('checkout', '-q', '-b', 'unmerged', 'main~1');
      const unmerged = repo.commit('unmerged key', { 'wip/key.pem': key() });
      repo.git('checkout', '-q', 'main');
      const all = await scanJson(repo.dir, ['--history']);
      const byFile = Object.fromEntries(all.findings.map((f) => [f.file, f.commit!.introducedBy]));
      expect(byFile).toEqual({ 'side/key.pem': onSide, 'merge.pem': merge, 'wip/key.pem': unmerged });
      const mainOnly = await scanJson(repo.dir, ['--history', '--refs', 'main']);
      expect(mainOnly.findings.map((f) => f.file).sort()).toEqual(['merge.pem', 'side/key.pem']);
    } finally {
      repo.cleanup();
    }
  });

  it('skips binary blobs by content, and a blob git cannot give is an incomplete-scan finding', async () => {
    const repo = gitRepo();
    try {
      repo.commit('binary', { 'image.bin': Buffer.from([0, 1, 2, 3, ...Buffer.from(key())]).toString('latin1') });
      repo.commit('text', { 'key.pem': key() });
      const ok = await scanJson(repo.dir, ['--history']);
      expect(ok.findings.map((f) => f.file)).toEqual(['key.pem']);
      expect((ok.doc.summary as { binaryFiles: number }).binaryFiles).toBe(1);
      // corrupt the repository: remove the loose object of the key's blob
      const blob = repo.git('rev-parse', 'HEAD:key.pem');
      unlinkSync(path.join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
      // the whole history and a range both meet the blob, and cat-file says it is missing: an incomplete-scan finding that fails the gate
      for (const selection of [['--history'], ['--range', 'HEAD~1..HEAD']]) {
        const broken = await scanJson(repo.dir, selection);
        expect(broken.findings).toEqual([expect.objectContaining({ ruleId: 'incomplete-scan', file: 'key.pem', message: expect.stringContaining(`blob ${blob}`) })]);
        expect(broken.findings[0]!.severity).toBe('error');
      }
    } finally {
      repo.cleanup();
    }
  });

  it('reads a blob only a tag reaches, and not a blob nothing reaches', async () => {
    const repo = gitRepo();
    try {
      repo.commit('one', { 'a.txt': 'hello\n' });
      const hash = (text: string) => execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo.dir, input: text, encoding: 'utf8' }).trim();
      const tagged = hash(key());
      repo.git('tag', '-a', '-m', 'a key, tagged', 'key-tag', tagged);
      hash(`dangling ${key()}`); // written to the object store, reachable from no ref: never pushed, not reported
      const { findings } = await scanJson(repo.dir, ['--history']);
      expect(findings.map((f) => [f.ruleId, f.file])).toEqual([['private-key', `(blob ${tagged})`]]);
    } finally {
      repo.cleanup();
    }
  });

  it('a history larger than the read buffer is read whole, each blob at its own path', async () => {
    const repo = gitRepo();
    try {
      // 12 MiB of text in 24 commits, more than git is let run ahead of the reader, then a key at the end
      const filler = (i: number) => `${`line ${i} of filler text, nothing secret here\n`.repeat(12_000)}`;
      for (let i = 0; i < 24; i++) repo.commit(`filler ${i}`, { [`f${i % 3}.txt`]: filler(i) });
      const last = repo.commit('key', { 'late/key.pem': key() });
      const { findings, doc } = await scanJson(repo.dir, ['--history']);
      expect(findings.map((f) => [f.file, f.commit!.introducedBy])).toEqual([['late/key.pem', last]]);
      expect((doc.summary as { filesScanned: number }).filesScanned).toBe(25);
    } finally {
      repo.cleanup();
    }
  });

  it('a reader slower than git still gets every blob whole and in order, from either cat-file process', async () => {
    const repo = gitRepo();
    try {
      const texts = Array.from({ length: 12 }, (_, i) => `${i}:${'x'.repeat(1_000_000 + i * 70_001)}\n`);
      texts.forEach((text, i) => repo.commit(`blob ${i}`, { 'big.txt': text }));
      const oids = texts.map((_, i) => repo.git('rev-parse', `HEAD~${texts.length - 1 - i}:big.txt`));
      const reader = new CatFile(repo.dir);
      const read: string[] = [];
      try {
        for await (const blob of reader.read(oids.map((oid) => ({ oid })))) {
          await new Promise((resolve) => setTimeout(resolve, 20)); // git runs ahead, and is held back
          read.push(blob.data!.toString('utf8'));
        }
      } finally {
        reader.close();
      }
      expect(read.length).toBe(texts.length);
      read.forEach((text, i) => expect(text === texts[i]).toBe(true));
    } finally {
      repo.cleanup();
    }
  });

  it('a baseline written from history accepts the tree scan, and the other way round', async () => {
    const repo = gitRepo();
    try {
      repo.commit('key', { 'k.pem': key() });
      expect(await runCli(['scan', '--history', '--write-baseline', '../baseline.json'], cliIo(repo.dir).handle)).toBe(0);
      expect(await runCli(['scan', '--baseline', '../baseline.json'], cliIo(repo.dir).handle)).toBe(0);
      expect(await runCli(['scan', '--write-baseline', '../tree.json'], cliIo(repo.dir).handle)).toBe(0);
      expect(await runCli(['scan', '--history', '--baseline', '../tree.json'], cliIo(repo.dir).handle)).toBe(0);
    } finally {
      rmSync(path.join(repo.dir, '..', 'baseline.json'), { force: true });
      rmSync(path.join(repo.dir, '..', 'tree.json'), { force: true });
      repo.cleanup();
    }
  });
});

describe('scan --range, --since and --staged', () => {
  it('reads only what the commits of a range introduce', async () => {
    const repo = gitRepo();
    try {
      repo.commit('old key', { 'old.pem': key() });
      const base = repo.commit('base', { 'README.md': 'x' });
      const added = repo.commit('new key', { 'new.pem': key() });
      repo.commit('token', { 'config.txt': `token: ${await t.es256()}` });
      const { findings } = await scanJson(repo.dir, ['--range', `${base}..HEAD`]);
      expect(findings.map((f) => [f.ruleId, f.file])).toEqual(expect.arrayContaining([['private-key', 'new.pem'], ['committed-token', 'config.txt']]));
      expect(findings.map((f) => f.file)).not.toContain('old.pem');
      expect(findings.find((f) => f.file === 'new.pem')!.commit!.sha).toBe(added);
      // a range with nothing in it reads nothing, and says so
      const run = cliIo(repo.dir);
      expect(await runCli(['scan', '--range', 'HEAD..HEAD'], run.handle)).toBe(0);
      expect(run.out()).toContain('nothing to scan: the commits selected introduce no files');
    } finally {
      repo.cleanup();
    }
  });

  it('--since reads the commits since a date', async () => {
    const repo = gitRepo();
    try {
      repo.commit('old', { 'old.pem': key() }, 1_600_000_000);
      repo.commit('new', { 'new.pem': key() }, 1_900_000_000);
      const { findings } = await scanJson(repo.dir, ['--since', '2025-01-01']);
      expect(findings.map((f) => f.file)).toEqual(['new.pem']);
    } finally {
      repo.cleanup();
    }
  });

  it('--staged reads the index as it will be committed, not the work tree', async () => {
    const repo = gitRepo();
    try {
      repo.commit('init', { 'committed.pem': key() });
      writeFileSync(path.join(repo.dir, 'staged.pem'), key());
      repo.git('add', 'staged.pem');
      writeFileSync(path.join(repo.dir, 'staged.pem'), 'emptied after staging');
      writeFileSync(path.join(repo.dir, 'unstaged.pem'), key());
      const { findings } = await scanJson(repo.dir, ['--staged']);
      expect(findings.map((f) => f.file)).toEqual(['staged.pem']);
      // in a repository without commits too
      const fresh = gitRepo();
      try {
        writeFileSync(path.join(fresh.dir, 'first.pem'), key());
        fresh.git('add', 'first.pem');
        expect((await scanJson(fresh.dir, ['--staged'])).findings.map((f) => f.file)).toEqual(['first.pem']);
      } finally {
        fresh.cleanup();
      }
    } finally {
      repo.cleanup();
    }
  });
});

describe('bad input', () => {
  it('reads the history of a bare repository (a mirror), which has no index to stage in', async () => {
    const repo = gitRepo();
    const bare = mkdtempSync(path.join(tmpdir(), 'jwt-guard-bare-'));
    try {
      const added = repo.commit('add', { 'k.pem': key() });
      repo.commit('remove', { 'k.pem': null });
      execFileSync('git', ['clone', '-q', '--bare', repo.dir, bare]);
      const { findings } = await scanJson(bare, ['--history']);
      expect(findings.map((f) => [f.file, f.commit!.introducedBy, f.commit!.inHead])).toEqual([['k.pem', added, false]]);
      expect((await scanJson(bare, ['--range', 'HEAD~1'])).findings).toHaveLength(1);
      expect(await failure(bare, ['scan', '--staged'])).toEqual({ code: 2, message: expect.stringContaining('--staged reads the index of a git work tree') });
    } finally {
      rmSync(bare, { recursive: true, force: true });
      repo.cleanup();
    }
  });

  it('not a repository, a missing ref, an unresolvable range: exit 2 with git\'s words in one line', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'jwt-guard-nogit-'));
    const repo = gitRepo();
    try {
      writeFileSync(path.join(plain, 'a.txt'), 'x');
      expect(await failure(plain, ['scan', '--history'])).toEqual({ code: 2, message: expect.stringContaining('--history reads a git repository, and . is neither in a work tree nor a bare repository') });
      expect(await failure(plain, ['scan', '--staged'])).toEqual({ code: 2, message: expect.stringContaining('--staged reads the index of a git work tree, and . is not in one') });
      repo.commit('init', { 'a.txt': 'x' });
      expect(await failure(repo.dir, ['scan', '--history', '--refs', 'no-such-branch'])).toEqual({ code: 2, message: "jwt-guard: cannot resolve 'no-such-branch': no such commit here\n" });
      expect(await failure(repo.dir, ['scan', '--range', 'v9..HEAD'])).toEqual({ code: 2, message: "jwt-guard: cannot resolve 'v9' in the range 'v9..HEAD': no such commit here\n" });
      expect((await failure(repo.dir, ['scan', '--history', '--staged'])).message).toContain('cannot be combined');
    } finally {
      rmSync(plain, { recursive: true, force: true });
      repo.cleanup();
    }
  });

  it('a shallow clone is refused for the whole history and for a range past its boundary, saying how to fix it', async () => {
    const origin = gitRepo();
    const clone = mkdtempSync(path.join(tmpdir(), 'jwt-guard-shallow-'));
    try {
      for (let i = 0; i < 4; i++) origin.commit(`c${i}`, { [`f${i}.txt`]: String(i) });
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.dir}`, clone]);
      const history = await failure(clone, ['scan', '--history']);
      expect(history).toEqual({ code: 2, message: expect.stringContaining('this is a shallow clone') });
      expect(history.message).toContain('fetch-depth: 0');
      expect((await failure(clone, ['scan', '--range', 'HEAD~2..HEAD'])).message).toContain("cannot read the commit 'HEAD~2': this is a shallow clone");
      // the commits since a date reach the clone's boundary: cut short, so refused too
      expect((await failure(clone, ['scan', '--since', '2000-01-01'])).message).toContain('shallow boundary');
    } finally {
      rmSync(clone, { recursive: true, force: true });
      origin.cleanup();
    }
  });
});

describe('diffs', () => {
  it('git log -p on --stdin-log or --stdin-diff: PEM, JWK and token lines are found in the files they add, on their lines', async () => {
    const repo = gitRepo();
    try {
      const jwk = JSON.stringify(k.jwk(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey), null, 2);
      repo.commit('init', { 'app/config.txt': 'a\nb\nc\n' });
      repo.commit('keys', { 'app/config.txt': `a\nb\nc\ntoken: ${await t.es256()}\n`, 'deploy/key.pem': key(), 'keys/jwk.json': jwk });
      const log = repo.git('log', '-p');
      for (const flag of ['--stdin-log', '--stdin-diff']) {
        const run = cliIo(repo.dir, log);
        expect(await runCli(['scan', flag, '--format', 'json'], run.handle)).toBe(1);
        const found = JSON.parse(run.out()).findings.map((f: JsonFinding) => [f.ruleId, f.file, f.line]);
        expect([flag, found]).toEqual([flag, expect.arrayContaining([['private-key', 'deploy/key.pem', 1], ['private-key', 'keys/jwk.json', 1], ['committed-token', 'app/config.txt', 4]])]);
      }
    } finally {
      repo.cleanup();
    }
  });

  it('a .patch file in the tree is read as the files it adds, each finding on the patch\'s own line', async () => {
    const repo = gitRepo();
    try {
      repo.commit('init', { 'README.md': 'x' });
      writeFileSync(path.join(repo.dir, 'key.pem'), key());
      repo.git('add', 'key.pem');
      const patch = repo.git('diff', '--cached');
      repo.git('rm', '-q', '--cached', 'key.pem');
      unlinkSync(path.join(repo.dir, 'key.pem'));
      repo.commit('a patch', { 'fix.patch': `${patch}\n` });
      const { findings } = await scanJson(repo.dir, []);
      const line = patch.split('\n').findIndex((l) => l.startsWith('+-----BEGIN')) + 1;
      expect(findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['private-key', 'fix.patch', line]]);
    } finally {
      repo.cleanup();
    }
  });
});

describe('reports from history', () => {
  it('JSON carries the commit; text and SARIF name it', async () => {
    const repo = gitRepo();
    try {
      const added = repo.commit('add', { 'k.pem': key() });
      repo.commit('remove', { 'k.pem': null });
      const text = cliIo(repo.dir);
      await runCli(['scan', '--history'], text.handle);
      expect(text.out()).toContain(`introduced in ${added.slice(0, 12)}`);
      expect(text.out()).not.toContain(' as k.pem'); // the path is named only when it is not the finding's
      expect(text.out()).toContain('not in HEAD');
      const sarif = cliIo(repo.dir);
      await runCli(['scan', '--history', '--format', 'sarif'], sarif.handle);
      const result = JSON.parse(sarif.out()).runs[0].results[0];
      expect(result.properties.commit).toMatchObject({ sha: added, inHead: false });
      expect(result.message.text).toContain(`introduced in ${added.slice(0, 12)}`);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('k.pem');
    } finally {
      repo.cleanup();
    }
  });
});

describe('pre-commit', () => {
  it('hook install writes a pre-commit hook that refuses a commit with a key, and never replaces an existing hook', async () => {
    const repo = gitRepo();
    try {
      repo.commit('init', { 'README.md': 'x' });
      const io = { ...cliIo(repo.dir).handle, entry: path.resolve('dist/cli/index.js') };
      expect(await runCli(['hook', 'install'], io)).toBe(0);
      writeFileSync(path.join(repo.dir, 'key.pem'), key());
      repo.git('add', 'key.pem');
      expect(() => repo.git('commit', '-qm', 'try to commit a key')).toThrow();
      await expect(runCli(['hook', 'install'], io)).rejects.toThrow(/already exists; not replacing it/);
    } finally {
      repo.cleanup();
    }
  });
});
