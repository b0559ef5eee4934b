#!/usr/bin/env node
// The installed command. Node's compile cache (Node 22.1 and later) must be on before the
// bundle is loaded, so this launcher turns it on, then loads dist/cli/index.js: later runs
// skip compiling the bundle's JavaScript, about 30 ms of each (see README, Performance).
// NODE_DISABLE_COMPILE_CACHE=1 turns it off; NODE_COMPILE_CACHE=DIR moves it.
import module from 'node:module';

module.enableCompileCache?.();
await import('./index.js');
