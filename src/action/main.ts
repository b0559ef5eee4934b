import * as core from '@actions/core';
import { isScanWorker, runScanWorker } from '../parallel.js';
import { runAction } from './run.js';

/** The Action's entry point: hand the real toolkit and environment to runAction (this bundle also runs the scan's worker threads). */
if (isScanWorker()) await runScanWorker();
else await runAction(core, process.env, new URL(import.meta.url));
