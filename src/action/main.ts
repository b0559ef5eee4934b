import * as core from '@actions/core';
import { WORKER_FILE } from '../pipeline/reading-thread-file.js';
import { runAction } from './run.js';

/** The Action's entry point: hand the real toolkit and environment to runAction (and where the reading threads' bundle lies). */
await runAction(core, process.env, new URL(WORKER_FILE, import.meta.url));
