/** The Action's scope input: the tree, what an event adds, or the whole history; a shallow checkout is deepened. */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from '../helpers/action.js';
import { gitRepo } from '../helpers/git.js';
import * as k from '../helpers/keys.js';

const key = () => k.pkcs8(k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);
const annotated = (stdout: string) => [...stdout.matchAll(/^::error title=jwt-guard ([\w-]+),file=([^,]+),/gm)].map((m) => `${m[1]} ${m[2]}`).sort();

function event(name: string, payload: unknown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'jwt-guard-event-'));
  const file = path.join(dir, 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return { env: { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: file }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('scope', () => {
  it('pull_request defaults to changes: only what base..head adds, including a key added and removed within the pull request', () => {
    const repo = gitRepo();
    try {
      repo.commit('old key', { 'old.pem': key() });
      const base = repo.commit('base', { 'README.md': 'x' });
      repo.commit('add', { 'tmp.pem': key() });
      const head = repo.commit('remove again', { 'tmp.pem': null });
      const pr = event('pull_request', { pull_request: { base: { sha: base }, head: { sha: head } } });
      try {
        const run = runAction(repo.dir, {}, pr.env);
        expect(run.status).toBe(1);
        expect(annotated(run.stdout)).toEqual(['private-key tmp.pem']);
        expect(run.stdout).toContain('not in HEAD');
        // scope tree reads the checkout's files instead
        expect(annotated(runAction(repo.dir, { scope: 'tree' }, pr.env).stdout)).toEqual(['private-key old.pem']);
        expect(annotated(runAction(repo.dir, { scope: 'history' }, pr.env).stdout)).toEqual(['private-key old.pem', 'private-key tmp.pem']);
      } finally {
        pr.cleanup();
      }
    } finally {
      repo.cleanup();
    }
  });

  it('push reads before..after; a new branch (before all zeros) reads all it reaches', () => {
    const repo = gitRepo();
    try {
      repo.commit('old key', { 'old.pem': key() });
      const before = repo.commit('x', { 'x.txt': 'x' });
      const after = repo.commit('pushed', { 'pushed.pem': key() });
      const push = event('push', { before, after });
      const branch = event('push', { before: '0'.repeat(40), after });
      try {
        expect(annotated(runAction(repo.dir, {}, push.env).stdout)).toEqual(['private-key pushed.pem']);
        expect(annotated(runAction(repo.dir, {}, branch.env).stdout)).toEqual(['private-key old.pem', 'private-key pushed.pem']);
      } finally {
        push.cleanup();
        branch.cleanup();
      }
    } finally {
      repo.cleanup();
    }
  });

  it('a shallow checkout is deepened to read the changes, never scanned short', () => {
    const origin = gitRepo();
    const checkout = mkdtempSync(path.join(tmpdir(), 'jwt-guard-checkout-'));
    try {
      const base = origin.commit('base', { 'README.md': 'x' });
      origin.commit('key', { 'added.pem': key() });
      const head = origin.commit('more', { 'more.txt': 'y' });
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.dir}`, checkout]);
      const pr = event('pull_request', { pull_request: { base: { sha: base }, head: { sha: head } } });
      try {
        const run = runAction(checkout, {}, pr.env);
        expect(annotated(run.stdout)).toEqual(['private-key added.pem']);
      } finally {
        pr.cleanup();
      }
    } finally {
      rmSync(checkout, { recursive: true, force: true });
      origin.cleanup();
    }
  });

  it('refuses a scope it does not know, and changes on an event without commits', () => {
    const repo = gitRepo();
    try {
      repo.commit('init', { 'README.md': 'x' });
      expect(runAction(repo.dir, { scope: 'everything' }).stdout).toContain("input 'scope' must be tree, changes or history, not 'everything'");
      const dispatch = event('workflow_dispatch', {});
      try {
        expect(runAction(repo.dir, { scope: 'changes' }, dispatch.env).stdout).toContain("scope 'changes' works on pull_request and push events");
        expect(runAction(repo.dir, {}, dispatch.env).status).toBe(0); // defaults to tree
      } finally {
        dispatch.cleanup();
      }
    } finally {
      repo.cleanup();
    }
  });
});
