import { describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolvePolicy } from '../../src/policy/load.js';
import { scan } from '../../src/pipeline/scan.js';
import { listFiles } from '../../src/sources/files.js';
import { decodeText, FileReader } from '../../src/sources/read.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';

const policy = resolvePolicy({}, 'test');
const pem = () => k.pkcs8(k.keyPair({ type: 'ed25519' }).privateKey);
const names = async (dir: string, p = policy) => (await listFiles(dir, p)).files.map((f) => f.relative).sort();

describe('files: which files are scanned', () => {
  it('in a git work tree: tracked and untracked files, not ignored ones', async () => {
    const tree = tempTree({ '.gitignore': 'build/\n*.tmp\n', 'src/a.ts': 'a', 'README.md': 'r' }, { git: true, untracked: { 'new.txt': 'n', 'build/out.js': 'o', 'x.tmp': 't' } });
    try {
      const listing = await listFiles(tree.dir, policy);
      expect(listing.via).toBe('git');
      expect(listing.files.map((f) => f.relative).sort()).toEqual(['.gitignore', 'README.md', 'new.txt', 'src/a.ts']);
    } finally {
      tree.cleanup();
    }
  });

  it('in git: passes over tracked files deleted in the work tree, without calling them skipped', async () => {
    const tree = tempTree({ 'gone.pem': pem(), 'kept.pem': pem() }, { git: true });
    try {
      rmSync(path.join(tree.dir, 'gone.pem'));
      const result = await scan({ root: tree.dir, policy });
      expect(result.findings.map((f) => f.file)).toEqual(['kept.pem']);
      expect(result.skipped).toEqual([]);
      expect(result.filesScanned).toBe(1);
    } finally {
      tree.cleanup();
    }
  });

  it('outside git: a walk that honours nested .gitignore files and never enters .git', async () => {
    const tree = tempTree({ '.gitignore': '*.log\n', 'a.txt': 'a', 'app.log': 'l', 'sub/.gitignore': 'secret/\n', 'sub/b.txt': 'b', 'sub/secret/c.txt': 'c', '.git/config': 'x' });
    try {
      const listing = await listFiles(tree.dir, policy);
      expect(listing.via).toBe('walk');
      expect(listing.files.map((f) => f.relative).sort()).toEqual(['.gitignore', 'a.txt', 'sub/.gitignore', 'sub/b.txt']);
    } finally {
      tree.cleanup();
    }
  });

  it('applies the policy include and exclude globs, and node_modules is excluded by default', async () => {
    const tree = tempTree({ 'src/a.ts': 'a', 'src/gen/b.ts': 'b', 'docs/c.md': 'c', 'node_modules/pkg/key.pem': 'k' });
    try {
      expect(await names(tree.dir)).toEqual(['docs/c.md', 'src/a.ts', 'src/gen/b.ts']);
      const custom = resolvePolicy({ files: { include: ['src/**'], exclude: ['**/gen/**'] } }, 'test');
      expect(await names(tree.dir, custom)).toEqual(['src/a.ts']);
    } finally {
      tree.cleanup();
    }
  });

  it('does not follow links out of the root, says so, and lists a linked file inside the root once', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'jwt-guard-outside-'));
    writeFileSync(path.join(outside, 'id_rsa'), pem());
    const tree = tempTree({ 'real.txt': 'r' });
    try {
      symlinkSync(path.join(outside, 'id_rsa'), path.join(tree.dir, 'escape'));
      symlinkSync(path.join(tree.dir, 'real.txt'), path.join(tree.dir, 'alias.txt'));
      symlinkSync(tree.dir, path.join(tree.dir, 'loop'));
      const listing = await listFiles(tree.dir, policy);
      expect(listing.files).toHaveLength(1);
      expect(listing.skipped).toEqual([{ file: 'escape', reason: 'symlink-outside-root', detail: expect.any(String) }]);
      const result = await scan({ root: tree.dir, policy });
      expect(result.findings).toEqual([]);
    } finally {
      tree.cleanup();
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('files: what is read', () => {
  it('skips binary files by content, even with a key inside, and counts them', async () => {
    const binary = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(pem())]);
    const tree = tempTree({ 'image.png': binary, 'notes.txt': 'nothing here' });
    try {
      const result = await scan({ root: tree.dir, policy });
      expect(result.binaryFiles).toBe(1);
      expect(result.filesScanned).toBe(1);
      expect(result.findings).toEqual([]);
    } finally {
      tree.cleanup();
    }
  });

  it('reports files over the size limit instead of dropping them silently', async () => {
    const tree = tempTree({ 'big.txt': 'x'.repeat(3000), 'small.txt': pem() });
    try {
      const small = resolvePolicy({ files: { maxFileSize: 2048 } }, 'test');
      const result = await scan({ root: tree.dir, policy: small });
      // Over the policy's cap: not read, and an incomplete-scan finding at the rule's severity, never silence.
      expect(result.skipped).toEqual([]);
      expect(result.findings.map((f) => [f.ruleId, f.file, f.severity])).toEqual([
        ['incomplete-scan', 'big.txt', 'error'],
        ['private-key', 'small.txt', 'error'],
      ]);
      expect(result.findings[0]!.message).toContain('2.9 KB is over files.maxFileSize (2.0 KB)');
      const lenient = resolvePolicy({ files: { maxFileSize: 2048 }, rules: { 'incomplete-scan': 'warning' } }, 'test');
      expect((await scan({ root: tree.dir, policy: lenient })).findings.map((f) => [f.ruleId, f.severity])).toEqual([
        ['private-key', 'error'],
        ['incomplete-scan', 'warning'],
      ]);
    } finally {
      tree.cleanup();
    }
  });

  it('reports an unreadable file and goes on with the rest', async () => {
    if (process.getuid?.() === 0) {
      // root reads everything; simulate with a file that vanishes instead
      const tree = tempTree({ 'a.txt': pem() });
      try {
        const listing = await listFiles(tree.dir, policy);
        rmSync(path.join(tree.dir, 'a.txt'));
        expect(new FileReader(policy.files.maxFileSize).look(listing.files[0]!)).toEqual({ kind: 'skipped', skipped: { file: 'a.txt', reason: 'vanished', detail: 'removed while the scan ran' } });
      } finally {
        tree.cleanup();
      }
      return;
    }
    const tree = tempTree({ 'locked.txt': 'x', 'open.txt': pem() });
    try {
      chmodSync(path.join(tree.dir, 'locked.txt'), 0);
      const result = await scan({ root: tree.dir, policy });
      expect(result.skipped).toEqual([{ file: 'locked.txt', reason: 'unreadable', detail: 'EACCES' }]);
      expect(result.findings).toHaveLength(1);
    } finally {
      tree.cleanup();
    }
  });

  it('decodes UTF-16 text with a byte-order mark', () => {
    const text = 'key = value';
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]))).toBe(text);
  });

  it('marks files matching the log globs as logs', async () => {
    const tree = tempTree({ 'app.log': 'x', 'logs/today.txt': 'y', 'src/log.ts': 'z' });
    try {
      const { fileMatchers } = await import('../../src/sources/files.js');
      const { isLog } = fileMatchers(policy);
      expect(['app.log', 'logs/today.txt', 'src/log.ts'].map(isLog)).toEqual([true, true, false]);
    } finally {
      tree.cleanup();
    }
  });

  it('reports paths relative to the repository root when a subdirectory is scanned', async () => {
    const tree = tempTree({ 'services/api/key.pem': pem() }, { git: true });
    try {
      const result = await scan({ root: path.join(tree.dir, 'services'), base: tree.dir, policy });
      expect(result.findings.map((f) => f.file)).toEqual(['services/api/key.pem']);
    } finally {
      tree.cleanup();
    }
  });
});
