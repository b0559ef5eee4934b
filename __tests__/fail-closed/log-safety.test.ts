/** Nothing from a file or an input can issue a workflow command, read by the runner's own rules. */
import { describe, expect, it } from '@jest/globals';
import { runCli } from '../../src/cli/cli.js';
import { encryptToJwe } from '../../src/mint/keys.js';
import { logLine, safeJson } from '../../src/report/safe.js';
import { runAction } from '../helpers/action.js';
import { cliIo } from '../helpers/cli.js';
import * as k from '../helpers/keys.js';
import { runnerCommands } from '../helpers/runner.js';
import { tempTree } from '../helpers/scan.js';
import * as t from '../helpers/tokens.js';

const EVIL = [
  '::warning title=x::forged',
  '   ::error::forged',
  '\t::error::forged',
  '\u00a0\u2003::error::forged',
  'plain text ##[error]forged',
  '##[warning]forged',
  'line\n::error::forged',
  'line\r\n  ##[set-output name=x]forged',
];

// A forged command is one whose data is the forger's: jwt-guard's own annotations may quote the text, escaped, inside their message.
const forged = (stdout: string) => runnerCommands(stdout).filter((c) => c.data.startsWith('forged') || c.name === 'set-output');

describe('log safety', () => {
  it('the runner reads the evil lines as commands, and none once they pass through logLine', () => {
    for (const evil of EVIL) {
      expect(forged(evil)).not.toEqual([]);
      expect(forged(logLine(evil))).toEqual([]);
    }
  });

  it('JSON stays the same JSON and stops being a command', () => {
    const text = JSON.stringify({ kid: '##[error]forged' });
    expect(forged(text)).not.toEqual([]);
    expect(JSON.parse(safeJson(text))).toEqual({ kid: '##[error]forged' });
    expect(forged(safeJson(text))).toEqual([]);
  });

  it('mint: an audience input cannot forge commands through the audit line or the job summary', async () => {
    const pass = 'a passphrase for the deploy key';
    const signingKey = await encryptToJwe(k.keyPair({ type: 'ec', curve: 'P-256' }).privateKey, pass);
    const repo = tempTree({ '.github/jwt-guard.json': JSON.stringify({ mint: { issuer: 'https://ci.example.test' } }) }, { git: true });
    try {
      for (const audience of ['api\n::warning title=x::forged', 'api ##[error]forged', 'api\n  ::error::forged <img src=x onerror=alert(1)>']) {
        const run = runAction(repo.dir, { mode: 'mint', 'signing-key': signingKey, 'key-passphrase': pass, audience });
        expect(run.status).toBe(0);
        expect(forged(run.stdout)).toEqual([]);
        expect(run.summary).not.toContain('<img');
      }
    } finally {
      repo.cleanup();
    }
  });

  it('check: a token\'s kid, iss or aud cannot forge commands through the result lines', async () => {
    const tokens = await Promise.all([
      t.es256(t.goodClaims({ iss: 'https://id\n::error::forged' }), { kid: '##[error]forged' }),
      t.es256(t.goodClaims({ aud: '  ::warning::forged' })),
    ]);
    const repo = tempTree({ 'README.md': 'clean' }, { git: true });
    try {
      const run = runAction(repo.dir, { tokens: tokens.join('\n') });
      expect(run.status).toBe(1);
      expect(forged(run.stdout)).toEqual([]);
      const cli = cliIo(repo.dir);
      await runCli(['check', ...tokens], cli.handle);
      expect(forged(cli.out())).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  it('scan: values from scanned files cannot forge commands in the CLI\'s text or JSON, as a run step prints them', async () => {
    const token = await t.es256(t.goodClaims({ iss: '##[error]forged' }), { kid: '##[warning]forged' });
    const repo = tempTree({ 'config.txt': `token: ${token}\n` });
    try {
      for (const format of ['text', 'json', 'sarif']) {
        const cli = cliIo(repo.dir);
        expect(await runCli(['scan', '--format', format], cli.handle)).toBe(1);
        expect(cli.out()).toContain('forged');
        expect(forged(cli.out())).toEqual([]);
      }
    } finally {
      repo.cleanup();
    }
  });
});
