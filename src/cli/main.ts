#!/usr/bin/env node
import { WORKER_FILE } from '../worker-file.js';
import { runCli } from './cli.js';
import { reportFailure } from './exit.js';

/** The thin CLI entry: real process, real streams; all logic is in cli.ts. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, readStdin, workerEntry: new URL(WORKER_FILE, import.meta.url) });
}

try {
  await main();
} catch (error) {
  process.exitCode = reportFailure(error, process.stderr, process.env);
}
