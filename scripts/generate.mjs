#!/usr/bin/env node
/**
 * npm run generate: compiles the generators (scripts/generated.ts and the source they read)
 * with tsc into a temporary directory, runs them, and writes every generated file that
 * changed. __tests__/generated.test.ts fails while any of them is stale.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = mkdtempSync(path.join(tmpdir(), 'jwt-guard-generate-'));
try {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json'), '--outDir', out, '--noEmit', 'false', '--declaration', 'false'], { cwd: root, stdio: 'inherit' });
  // The compiled modules resolve their dependencies from the project's node_modules.
  symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'));
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}');
  process.chdir(root);
  const { generatedFiles } = await import(pathToFileURL(path.join(out, 'scripts', 'generated.js')).href);
  for (const [file, content] of Object.entries(await generatedFiles())) {
    if (existsSync(file) && readFileSync(file, 'utf8') === content) continue;
    writeFileSync(file, content);
    console.log(`wrote ${file}`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
