#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { WORKER_FILE } from '../pipeline/reading-thread-file.js';
import { runCli } from './cli.js';
import { reportFailure } from './exit.js';

/** The thin CLI entry: real process, real streams; all logic is in cli.ts. Standard input is empty on a terminal. */
const stdin = (): AsyncIterable<Buffer> | Buffer[] => (process.stdin.isTTY ? [] : process.stdin);

async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, stdin, workerEntry: new URL(WORKER_FILE, import.meta.url), entry: fileURLToPath(import.meta.url) });
}

try {
  await main();
} catch (error) {
  process.exitCode = reportFailure(error, process.stderr, process.env);
}
