import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolvePolicy } from '../../src/policy/load.js';
import { scan } from '../../src/scan.js';
import { CHUNK_BYTES, OVERLAP_BYTES } from '../../src/sources/read.js';
import * as k from '../helpers/keys.js';
import { tempTree } from '../helpers/scan.js';
import { es256 } from '../helpers/tokens.js';

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
