import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import TreeSitter from './tree-sitter.cjs';
import type { Language as LanguageType, Parser as ParserType, Tree } from 'web-tree-sitter';
import type { CodeLanguage, LanguageId } from './languages.js';

/**
 * Tree-sitter, loaded lazily: the runtime when the first source file that names a JWT
 * library is met, each grammar when the first file of its language is. In the bundles the
 * WebAssembly files sit in dist/grammars/ (scripts/bundle.mjs copies them there); run from
 * the source, they are read from node_modules.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

function firstExisting(candidates: string[], what: string): string {
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`${what} is missing (looked in ${candidates.map((c) => path.relative(process.cwd(), c) || '.').join(', ')})`);
  return found;
}

const runtimePath = () => firstExisting([path.join(here, '..', 'grammars', 'web-tree-sitter.wasm'), path.join(here, '..', '..', 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm')], 'the tree-sitter runtime');
const grammarPath = (file: string) => firstExisting([path.join(here, '..', 'grammars', file), path.join(here, '..', '..', 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm', file)], `the grammar ${file}`);

const { Parser, Language } = TreeSitter;

let runtime: Promise<void> | undefined;
const languages = new Map<LanguageId, Promise<LanguageType>>();
const parsers = new Map<LanguageId, ParserType>();

/**
 * Starts the runtime. Its CommonJS build reads `__dirname` once, as it starts; in an ES
 * module bundle there is none, so the name stands in for that moment only (and is given
 * our directory: the WebAssembly's own path is passed anyway).
 */
function startRuntime(): Promise<void> {
  // Baseline code only: V8's optimising tier compiles hot WebAssembly in the background, and
  // Node waits for that work at exit (70-100 ms on a run that parsed one file) while a whole
  // tree of JWT libraries' sources parses no faster with it (measured: 6.1 s either way).
  setFlagsFromString('--liftoff-only');
  const global = globalThis as { __dirname?: string };
  const had = Object.prototype.hasOwnProperty.call(global, '__dirname');
  if (!had) global.__dirname = here;
  try {
    return Parser.init({ locateFile: () => runtimePath() });
  } finally {
    if (!had) delete global.__dirname;
  }
}

/** The parser of a language, its grammar loaded once per process. Rejects when the runtime or the grammar cannot be loaded. */
async function parserFor(language: CodeLanguage): Promise<ParserType> {
  const ready = parsers.get(language.id);
  if (ready) return ready;
  // Told where its WebAssembly is: the copy ncc would make beside a bundle is read as text, and corrupt.
  if (!runtime) {
    runtime = startRuntime();
    // A runtime that failed to start is tried again by the next file (and reported again).
    runtime.catch(() => (runtime = undefined));
  }
  await runtime;
  let loading = languages.get(language.id);
  if (!loading) {
    loading = Language.load(new Uint8Array(readFileSync(grammarPath(language.grammar))));
    languages.set(language.id, loading);
    // A failed load is not cached: the next file tries again (and is reported again).
    loading.catch(() => languages.delete(language.id));
  }
  const parser = new Parser();
  parser.setLanguage(await loading);
  parsers.set(language.id, parser);
  return parser;
}

/** How long one file may take to parse before the parse is abandoned (and the file reported as not analysed). */
export const PARSE_TIMEOUT_MS = 2000;

/**
 * Parses source text. Tree-sitter recovers from syntax errors (the tree holds ERROR
 * nodes and the rest is analysed); undefined when the parse ran out of time.
 */
export async function parse(language: CodeLanguage, text: string): Promise<Tree | undefined> {
  const parser = await parserFor(language);
  const deadline = performance.now() + PARSE_TIMEOUT_MS;
  const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) parser.reset();
  return tree ?? undefined;
}
