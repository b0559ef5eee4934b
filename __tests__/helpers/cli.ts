/** Runs the CLI in-process with injected I/O, and the bundled CLI as another user. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { CliIo } from '../../src/cli/cli.js';

export const CLI = path.resolve('dist/cli/index.js');

export function cliIo(cwd: string, stdin: string | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string> = '', env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const handle: CliIo = {
    cwd,
    env,
    stdout: { write: (t: string) => (out += t), isTTY: false },
    stderr: { write: (t: string) => (err += t) },
    stdin: () => (typeof stdin === 'string' ? [stdin] : stdin),
  };
  return { handle, out: () => out, err: () => err };
}

/**
 * Runs the bundled CLI as the unprivileged user `nobody` when the tests run as root (root
 * reads every file, so permission errors cannot be made otherwise), else as this user.
 */
export function runAsUser(args: string[], cwd: string) {
  const root = process.getuid?.() === 0;
  const command = root ? 'setpriv' : process.execPath;
  const argv = root ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args] : [CLI, ...args];
  return spawnSync(command, argv, { cwd, encoding: 'utf8', // git refuses a repository owned by another user unless it is named safe.
    env: { PATH: process.env.PATH, HOME: '/tmp', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'safe.directory', GIT_CONFIG_VALUE_0: '*' } });
}
