#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { WORKER_FILE } from '../pipeline/reading-thread-file.js';
import { runCli } from './cli.js';
import { reportFailure } from './exit.js';
import { UserError } from '../errors.js';

/** The thin CLI entry: real process, real streams; all logic is in cli.ts. Standard input is empty on a terminal. */
const stdin = (): AsyncIterable<Buffer> | Buffer[] => (process.stdin.isTTY ? [] : process.stdin);

/** Reads a line from the terminal without echoing it (the question on standard error); Ctrl-C or Ctrl-D stop. */
function prompt(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') return finish(() => resolve(answer));
        if (c === '\u0003' || c === '\u0004') return finish(() => reject(new UserError('ERR_USAGE', 'no passphrase given (interrupted)')));
        if (c === '\u007f' || c === '\b') answer = answer.slice(0, -1);
        else answer += c;
      }
    };
    input.on('data', onData);
  });
}

async function main(): Promise<void> {
  const terminal = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  process.exitCode = await runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin,
    workerEntry: new URL(WORKER_FILE, import.meta.url),
    entry: fileURLToPath(import.meta.url),
    ...(terminal ? { prompt } : {}),
  });
}

try {
  await main();
} catch (error) {
  process.exitCode = reportFailure(error, process.stderr, process.env);
}
