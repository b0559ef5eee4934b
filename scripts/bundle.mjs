#!/usr/bin/env node
/**
 * Bundles the two entry points with ncc into dist/, each with the reading threads' own
 * small bundle beside it (worker.js, from src/pipeline/reading-thread.ts). With --check, bundles into a
 * temporary directory and fails when the committed dist/ differs: dist/ must always
 * be the build of the committed source.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'acorn';

const check = process.argv.includes('--check');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const entries = { action: 'src/action/main.ts', cli: 'src/cli/main.ts' };
const out = check ? mkdtempSync(path.join(tmpdir(), 'jwt-guard-dist-')) : path.join(root, 'dist');
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

/**
 * Wraps each module of an ncc bundle (a function in its `__webpack_modules__` object) in
 * parentheses. V8 takes a parenthesised function for one that is called at once and
 * compiles it with the script; any other it only pre-parses, then parses again when it is
 * called, which every module of the bundle is at start-up: 1 MB of JavaScript parsed twice.
 * On Node.js 24, `--version` goes from 136 to 106 ms (115 to 78 ms with the compile cache).
 * A bundle of one module, hoisted into the bundle's own top level, is left as it is.
 */
function compileModulesEagerly(file) {
  const code = readFileSync(file, 'utf8');
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
  const modules = ast.body
    .filter((node) => node.type === 'VariableDeclaration')
    .flatMap((node) => node.declarations)
    .find((declaration) => declaration.id.name === '__webpack_modules__' && declaration.init?.type === 'ObjectExpression');
  if (!modules) return; // one module, hoisted into the bundle's own top level (the reading threads')
  const edges = modules.init.properties.filter((property) => /Function/.test(property.value.type)).flatMap(({ value }) => [value.start, value.end]);
  let out = '';
  let from = 0;
  edges.forEach((at, i) => {
    out += `${code.slice(from, at)}${i % 2 === 0 ? '(' : ')'}`;
    from = at;
  });
  writeFileSync(file, out + code.slice(from));
}

const build = (entry, target, license = true) => {
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', target, '--minify', '--no-source-map-register', ...(license ? ['--license', 'licenses.txt'] : []), '-q'], { cwd: root, stdio: 'inherit' });
  compileModulesEagerly(path.join(target, 'index.js'));
};

const workerBuild = mkdtempSync(path.join(tmpdir(), 'jwt-guard-worker-'));
build('src/pipeline/reading-thread.ts', workerBuild, false);
for (const [name, entry] of Object.entries(entries)) {
  const target = path.join(out, name);
  rmSync(target, { recursive: true, force: true });
  build(entry, target);
  copyFileSync(path.join(workerBuild, 'index.js'), path.join(target, 'worker.js'));
}
// The installed command: a launcher that turns Node's compile cache on before it loads the CLI bundle.
copyFileSync(path.join(root, 'src', 'cli', 'bin.js'), path.join(out, 'cli', 'bin.js'));
rmSync(workerBuild, { recursive: true, force: true });

// The code checks' WebAssembly (src/code/grammar.ts): the tree-sitter runtime and the grammars, once for both bundles.
const grammars = path.join(out, 'grammars');
rmSync(grammars, { recursive: true, force: true });
mkdirSync(grammars, { recursive: true });
copyFileSync(path.join(root, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm'), path.join(grammars, 'web-tree-sitter.wasm'));
// ncc copies the runtime's WebAssembly beside each bundle as an asset, read as text and so corrupt: the code passes the good copy's path instead.
for (const name of Object.keys(entries)) for (const file of readdirSync(path.join(out, name))) if (file.endsWith('.wasm')) rmSync(path.join(out, name, file));
const languages = readFileSync(path.join(root, 'src', 'code', 'languages.ts'), 'utf8').match(/tree-sitter-[\w-]+\.wasm/g);
for (const file of new Set(languages)) copyFileSync(path.join(root, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm', file), path.join(grammars, file));
// Their licences, as ncc writes licenses.txt for what it bundles.
const notice = (pkg, note) => {
  const dir = path.join(root, 'node_modules', ...pkg.split('/'));
  const { version, license } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return `${pkg} ${version} (${license})${note ? `: ${note}` : ''}\n${readFileSync(path.join(dir, 'LICENSE'), 'utf8').trim()}\n`;
};
writeFileSync(path.join(grammars, 'licenses.txt'), [notice('web-tree-sitter', 'the runtime, web-tree-sitter.wasm'), notice('@vscode/tree-sitter-wasm', 'the grammars, tree-sitter-*.wasm, built from the tree-sitter project\'s grammars (MIT)')].join('\n'));

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).filter((f) => statSync(path.join(dir, f)).isFile()).sort();
}

if (check) {
  const committed = path.join(root, 'dist');
  const stale = [];
  const fresh = files(out);
  const old = files(committed);
  for (const f of new Set([...fresh, ...old])) {
    const a = path.join(out, f);
    const b = path.join(committed, f);
    if (!existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b))) stale.push(f);
  }
  rmSync(out, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`dist/ is stale: ${stale.join(', ')} differ from a fresh build. Run 'npm run bundle' and commit dist/.`);
    process.exit(1);
  }
  console.log('dist/ matches a fresh build of the source.');
}
