/** Real git repositories built at test time: commits, branches, merges, clones. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Repo {
  dir: string;
  git(...args: string[]): string;
  /** Writes files (null deletes one) and commits them; returns the commit's sha. */
  commit(message: string, files: Record<string, string | Buffer | null>, date?: number): string;
  cleanup(): void;
}

let clock = 1_800_000_000;

export function gitRepo(dir = mkdtempSync(path.join(tmpdir(), 'jwt-guard-git-'))): Repo {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } }).trim();
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    commit(message, files, date) {
      for (const [name, content] of Object.entries(files)) {
        const file = path.join(dir, name);
        if (content === null) {
          unlinkSync(file);
          continue;
        }
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
      git('add', '-A');
      const when = `${date ?? (clock += 60)} +0000`;
      execFileSync('git', ['commit', '-qm', message, '--allow-empty'], { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } });
      return git('rev-parse', 'HEAD');
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
