import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolvePolicy } from '../../src/policy/load.js';
import { scan } from '../../src/pipeline/scan.js';
import { BLOCK_BYTES, CHUNK_BYTES, OVERLAP_BYTES, spansAround } from '../../src/sources/read.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';
import { es256, goodClaims } from '../helpers/tokens.js';

const filler = (n: number) => `2026-11-23T10:00:00Z INFO request ${String(n).padStart(8, '0')} served in 12 ms path=/api/v1/items\n`;

describe('large files are read in overlapping chunks', () => {
  it('finds a key across a chunk boundary and one inside the overlap once each, on the right lines', async () => {
    const straddling = k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);
    const inOverlap = k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);
    const token = await es256();
    const lines: string[] = [];
    let bytes = 0;
    let newlines = 0;
    const push = (line: string) => {
      lines.push(line);
      bytes += Buffer.byteLength(line);
      newlines += line.split('\n').length - 1;
    };
    let n = 0;
    while (bytes < CHUNK_BYTES - 200) push(filler(n++));
    const straddlingLine = newlines + 1;
    push(straddling);
    // a key that lies wholly in the last OVERLAP_BYTES of the second chunk's range
    while (bytes < 2 * CHUNK_BYTES - OVERLAP_BYTES - 2 * OVERLAP_BYTES / 3) push(filler(n++));
    const overlapLine = newlines + 1;
    push(inOverlap);
    while (bytes < 20 * 1024 * 1024) push(filler(n++));
    const tokenLine = newlines + 1;
    push(`Authorization: Bearer ${token}\n`);
    push(filler(n));
    const repo = tempTree({});
    try {
      writeFileSync(path.join(repo.dir, 'service.log'), lines.join(''));
      const policy = resolvePolicy({ files: { maxFileSize: '64MB' } }, 'test');
      const result = await scan({ root: repo.dir, policy });
      const located = result.findings.map((f) => [f.ruleId, f.line, f.column]).sort((a, b) => Number(a[1]) - Number(b[1]));
      expect(located).toEqual([
        ['private-key', straddlingLine, 1],
        ['private-key', overlapLine, 1],
        ['token-in-log', tokenLine, 23],
      ]);
      expect(result.bytesScanned).toBe(bytes);
    } finally {
      repo.cleanup();
    }
  });

  it('keeps columns right on a single huge line', async () => {
    const token = await es256();
    const offset = CHUNK_BYTES + 12_345;
    const repo = tempTree({});
    try {
      writeFileSync(path.join(repo.dir, 'bundle.min.js'), `${'x'.repeat(offset)} "${token}" ${'y'.repeat(1000)}`);
      const result = await scan({ root: repo.dir, policy: resolvePolicy({ files: { maxFileSize: '64MB' } }, 'test') });
      expect(result.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['committed-token', 1, offset + 3]]);
    } finally {
      repo.cleanup();
    }
  });
});

/** Builds a large file line by line, keeping count of bytes and lines. */
class Builder {
  parts: string[] = [];
  bytes = 0;
  lines = 0;
  private n = 0;
  push(text: string): { line: number; column: number } {
    const at = { line: this.lines + 1, column: 1 };
    this.parts.push(text);
    this.bytes += Buffer.byteLength(text);
    this.lines += text.split('\n').length - 1;
    return at;
  }
  fillTo(bytes: number): void {
    while (this.bytes < bytes) this.push(filler(this.n++));
  }
}

async function scanOne(name: string, text: string) {
  const repo = tempTree({});
  try {
    writeFileSync(path.join(repo.dir, name), text);
    return await scan({ root: repo.dir, policy: resolvePolicy({ files: { maxFileSize: '64MB' } }, 'test') });
  } finally {
    repo.cleanup();
  }
}

describe('large files are decoded only around their anchors', () => {
  it('merges the spans around blocks with anchors, and keeps them inside the file', () => {
    expect(spansAround([0], 100)).toEqual([{ start: 0, end: 100 }]);
    const far = spansAround([BLOCK_BYTES * 10, BLOCK_BYTES * 100], BLOCK_BYTES * 200);
    expect(far).toHaveLength(2);
    expect(far[0]!.start).toBeLessThan(BLOCK_BYTES * 10);
    expect(far[0]!.end).toBeGreaterThan(BLOCK_BYTES * 11 + OVERLAP_BYTES - 1);
    expect(spansAround([BLOCK_BYTES * 10, BLOCK_BYTES * 11, BLOCK_BYTES * 12], BLOCK_BYTES * 200)).toHaveLength(1);
  });

  it('finds sparse tokens far apart on their lines and columns, and honours a directive on the line before one', async () => {
    const file = new Builder();
    const expected: Array<[string, number, number]> = [];
    for (const megabytes of [3, 17, 29]) {
      file.fillTo(megabytes << 20);
      const prefix = 'GET /items 200 Authorization: Bearer ';
      const at = file.push(`${prefix}${await es256(goodClaims())}\n`);
      expected.push(['token-in-log', at.line, prefix.length + 1]);
    }
    file.fillTo(40 << 20);
    file.push('# jwt-guard-ignore-next-line token-in-log -- a fixture\n');
    const ignoredLine = file.push(`Bearer ${await es256(goodClaims())}\n`).line;
    file.fillTo(48 << 20);
    const result = await scanOne('service.log', file.parts.join(''));
    expect(result.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual(expected);
    expect(result.suppressed.map((f) => [f.line, f.reason])).toEqual([[ignoredLine, 'a fixture']]);
    expect(result.bytesScanned).toBe(file.bytes);
  });

  it('honours an ignore-begin/-end pair that encloses far more than the span around a finding', async () => {
    const file = new Builder();
    file.push('// jwt-guard-ignore-begin private-key -- generated fixtures\n');
    file.fillTo(2 << 20);
    const line = file.push(k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey)).line;
    file.fillTo(3 << 20);
    file.push('// jwt-guard-ignore-end\n');
    file.fillTo(4 << 20);
    const after = file.push(k.sec1(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey)).line;
    const result = await scanOne('fixtures.txt', file.parts.join(''));
    expect(result.suppressed.map((f) => [f.line, f.reason])).toEqual([[line, 'generated fixtures']]);
    expect(result.findings.map((f) => f.line)).toEqual([after]);
  });

  it('finds tokens every 300 KB, each once on its own line, where the spans run together into chunks', async () => {
    const file = new Builder();
    const lines: number[] = [];
    for (let offset = 100_000; offset < 20 << 20; offset += 300_000) {
      file.fillTo(offset);
      lines.push(file.push(`token=${await es256(goodClaims())}\n`).line);
    }
    file.fillTo(21 << 20);
    const result = await scanOne('trace.log', file.parts.join(''));
    expect(result.findings.map((f) => f.line)).toEqual(lines);
    expect(new Set(result.findings.map((f) => f.fingerprint)).size).toBe(lines.length);
  });

  it('finds a JWK whose object starts a block before its kty, deep in a file', async () => {
    const file = new Builder();
    const key = k.jwk(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey);
    // 12 KB of members before kty, so the object starts in the block before the one that
    // holds kty, on a line that starts 100 KB earlier still
    const lead = `var keys = ${'z'.repeat(100_000)}; `;
    file.fillTo(5 * BLOCK_BYTES - 6000 - lead.length);
    const at = file.push(`${lead}{"comment": "${'c'.repeat(12_000)}", ${JSON.stringify(key).slice(1)}\n`);
    file.fillTo(12 << 20);
    const result = await scanOne('keys.js', file.parts.join(''));
    expect(result.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['private-key', at.line, lead.length + 1]]);
  });

  it('keeps columns right when a token sits mid-way along a huge line far into a file', async () => {
    const file = new Builder();
    file.fillTo(6 << 20);
    const token = await es256();
    const line = file.push(`${'x'.repeat(3 << 20)} ${token} ${'y'.repeat(1000)}\n`).line;
    file.fillTo(14 << 20);
    const result = await scanOne('bundle.min.js', file.parts.join(''));
    expect(result.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['committed-token', line, (3 << 20) + 2]]);
  });
});
