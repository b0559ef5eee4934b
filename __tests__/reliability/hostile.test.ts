/** Hostile files: each finishes in bounded time, says what it skipped, and findings elsewhere are still right. */
import { describe, expect, it } from '@jest/globals';
import { closeSync, openSync, writeSync, ftruncateSync } from 'node:fs';
import path from 'node:path';
import { PolicyError } from '../../src/errors.js';
import { parsePolicyText, resolvePolicy } from '../../src/policy/load.js';
import { scan } from '../../src/pipeline/scan.js';
import { runAction } from '../helpers/action.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';

const key = () => k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);

/** Writes `size` bytes made of `piece` repeated, in 1 MiB writes (the data is made lazily, never held whole). */
function writeRepeated(file: string, piece: string, size: number, tail = ''): void {
  const block = Buffer.from(piece.repeat(Math.ceil((1 << 20) / piece.length)).slice(0, 1 << 20));
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < size; written += block.length) writeSync(fd, block, 0, Math.min(block.length, size - written));
    if (tail) writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}

describe('hostile files', () => {
  it('a sparse 1 GB file over the cap is an incomplete-scan finding, binary without one; a file of one 100 MB line is streamed in chunks', async () => {
    const repo = tempTree({ 'ok/key.pem': key() });
    try {
      const fd = openSync(path.join(repo.dir, 'sparse.img'), 'w');
      ftruncateSync(fd, 1 << 30);
      closeSync(fd);
      writeRepeated(path.join(repo.dir, 'one-line.txt'), 'abcdefgh', 100 << 20, ` ${key().replace(/\n/g, '\\n')}`);
      const result = await scan({ root: repo.dir, policy: resolvePolicy({ files: { maxFileSize: '200MB' } }, 'test') });
      expect(result.skipped).toEqual([]);
      expect(result.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
        ['private-key', 'ok/key.pem', 1],
        ['private-key', 'one-line.txt', 1],
        ['incomplete-scan', 'sparse.img', 1],
      ]);
      expect(result.findings[2]!.message).toContain('1.0 GB is over files.maxFileSize (200.0 MB)');
      // Without a cap (the default) the sparse file is read far enough to tell it is binary, and passed over.
      const uncapped = await scan({ root: repo.dir, policy: resolvePolicy({}, 'test') });
      expect(uncapped.findings.map((f) => f.file)).toEqual(['ok/key.pem', 'one-line.txt']);
      expect(uncapped.binaryFiles).toBe(1);
    } finally {
      repo.cleanup();
    }
  });

  it('deep nesting, huge numbers, a 10 MB PEM body, garbage base64 and invalid UTF-8 finish; only the search cut short is reported', async () => {
    const repo = tempTree({
      'deep.json': `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
      'deep-objects.json': `${'{"kty":'.repeat(100_000)}1${'}'.repeat(100_000)}`,
      'numbers.json': JSON.stringify({ keys: [{ kty: 'RSA', n: 1e308, e: 65537, d: 1e308 }] }).replace(/1e\+308/g, '9'.repeat(5000)),
      'big-body.pem': `-----BEGIN RSA PRIVATE KEY-----\n${'QUJD'.repeat(2_600_000)}\n-----END RSA PRIVATE KEY-----\n`,
      'garbage.pem': `-----BEGIN PRIVATE KEY-----\n${Buffer.from('not a key at all, just words '.repeat(40)).toString('base64')}\n-----END PRIVATE KEY-----\n`,
      'latin1.txt': Buffer.from([0x6b, 0x74, 0x79, 0xff, 0xfe, 0xc3, 0x28, 0x65, 0x79, 0x4a, 0xa0, 0xa1]),
      'real/key.pem': key(),
    });
    try {
      const result = await scan({ root: repo.dir, policy: resolvePolicy({ files: { maxFileSize: '64MB' } }, 'test') });
      expect(result.findings.map((f) => [f.ruleId, f.file])).toEqual([
        ['incomplete-scan', 'deep-objects.json'],
        ['private-key', 'real/key.pem'],
      ]);
      expect(result.findings[0]!.message).toMatch(/partly-scanned.*too many unbalanced objects around 'kty'/);
      expect(result.skipped).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  it('a deeply nested policy is a policy error, not a crash', () => {
    expect(() => parsePolicyText(`{"files": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'deep.json')).toThrow(PolicyError);
  });

  it('file names with newlines and workflow commands cannot inject commands into the Action log', () => {
    const repo = tempTree({ 'a\n::error::pwned\n.pem': key(), 'b%0A::warning::x.pem': key() }, { git: true });
    try {
      const run = runAction(repo.dir, {});
      expect(run.status).toBe(1);
      expect(run.stdout).not.toMatch(/^::error::pwned/m);
      expect(run.stdout).not.toMatch(/^::warning::x/m);
      expect(run.outputs.findings).toBe('2');
    } finally {
      repo.cleanup();
    }
  });
});
