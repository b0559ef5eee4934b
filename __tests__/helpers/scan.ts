import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanUnit } from '../../src/pipeline/scan-unit.js';
import { resolvePolicy } from '../../src/policy/load.js';
import type { PolicyDocument } from '../../src/policy/types.js';
import type { Finding, UnitKind } from '../../src/types.js';

/** Scans one text as a file with the given (or recommended) policy; returns the findings. */
export async function findingsIn(text: string, options: { path?: string; kind?: UnitKind; policy?: PolicyDocument } = {}): Promise<Finding[]> {
  const policy = resolvePolicy(options.policy ?? {}, 'test');
  const result = await scanUnit({ path: options.path ?? 'file.txt', kind: options.kind ?? 'file', text }, policy);
  return result.findings;
}

/** A temporary directory with the given files; `git: true` makes it a repository with them committed. */
export function tempTree(files: Record<string, string | Buffer>, options: { git?: boolean; untracked?: Record<string, string> } = {}): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'jwt-guard-test-'));
  const write = (entries: Record<string, string | Buffer>) => {
    for (const [name, content] of Object.entries(entries)) {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  };
  write(files);
  if (options.git) {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'fixtures', '--allow-empty');
  }
  if (options.untracked) write(options.untracked);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
