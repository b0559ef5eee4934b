import type { CommitInfo } from '../types.js';

const short = (sha: string) => sha.slice(0, 12);

/** "introduced in 1a2b3c4d5e6f (2026-11-02T10:00:00Z) as old/key.pem; removed in 9f8e7d6c5b4a; not in HEAD; 3 occurrences" (the path only when it is not the finding's file) */
export function describeCommit(commit: CommitInfo, file?: string): string {
  const at = commit.path && file !== undefined && commit.path !== file ? ` as ${commit.path}` : '';
  const parts = [`introduced in ${short(commit.sha)}${commit.date ? ` (${commit.date})` : ''}${at}`];
  if (commit.introducedBy && commit.introducedBy !== commit.sha) parts.push(`first in ${short(commit.introducedBy)}`);
  if (commit.removedBy) parts.push(`removed in ${short(commit.removedBy)}`);
  parts.push(commit.inHead ? 'still in HEAD' : 'not in HEAD');
  if (commit.occurrences > 1) parts.push(`${commit.occurrences} occurrences`);
  return parts.join('; ');
}
