#!/usr/bin/env node
import { isUserError } from '../errors.js';
import { isScanWorker, runScanWorker } from '../parallel.js';
import { EXIT, runCli } from './cli.js';

/** The thin CLI entry: real process, real streams; all logic is in cli.ts. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, readStdin, workerEntry: new URL(import.meta.url) });
}

try {
  // The same bundle runs the scan's worker threads.
  await (isScanWorker() ? runScanWorker() : main());
} catch (error) {
  if (isUserError(error)) {
    process.stderr.write(`jwt-guard: ${error.message}\n`);
    process.exitCode = EXIT.usage;
  } else {
    const debug = Boolean(process.env.JWT_GUARD_DEBUG || process.env.RUNNER_DEBUG);
    process.stderr.write(`jwt-guard: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    process.stderr.write(debug ? `${(error as Error)?.stack ?? ''}\n` : 'Set JWT_GUARD_DEBUG=1 for the stack trace, and report it.\n');
    process.exitCode = EXIT.internal;
  }
}
