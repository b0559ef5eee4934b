import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { gitText } from '../../sources/git.js';
import { writeFileAtomic } from '../../util/write-file.js';
import type { Command } from '../command.js';
import { EXIT } from '../io.js';

/** Quotes a path for a POSIX shell script. */
const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export const hookCommand: Command = {
  name: 'hook',
  args: 'install',
  summary: 'Install a git pre-commit hook that scans the staged changes (refuses to replace an existing hook)',
  options: {},
  async run(_values, positionals, io) {
    if (positionals[0] !== 'install' || positionals.length > 1) throw new UserError('ERR_USAGE', 'hook takes one action: jwt-guard hook install');
    // git's own idea of where hooks go (core.hooksPath, a linked work tree): never a guess at .git/hooks.
    const hook = path.resolve(io.cwd, await gitText(io.cwd, ['rev-parse', '--git-path', 'hooks/pre-commit'], 'find the hooks directory'));
    if (existsSync(hook)) throw new UserError('ERR_EXISTS', `${path.relative(io.cwd, hook) || hook} already exists; not replacing it: add 'jwt-guard scan --staged' to it, or use the pre-commit framework's jwt-guard hook`);
    const cli = io.entry ? `${shellQuote(process.execPath)} ${shellQuote(io.entry)}` : 'jwt-guard';
    const script = ['#!/bin/sh', '# Installed by jwt-guard hook install: scans the staged changes for private keys and tokens before each commit.', '# To skip it once: git commit --no-verify', `exec ${cli} scan --staged`, ''].join('\n');
    await writeFileAtomic(hook, script, 0o755);
    chmodSync(hook, 0o755);
    io.stdout.write(`installed ${path.relative(io.cwd, hook) || hook}: every commit now runs jwt-guard scan --staged\n`);
    return EXIT.clean;
  },
};
