/**
 * The programming languages whose source jwt-guard reads for code checks
 * (insecure-verification, hardcoded-secret): which files are of each, the tree-sitter
 * grammar that parses them, and the words a file must hold to be parsed at all (the
 * names of the JWT libraries the checks know, as a keyword pre-filter: a file that
 * mentions none costs one byte search).
 */
export type LanguageId = 'javascript' | 'typescript' | 'tsx' | 'python' | 'java' | 'go' | 'csharp' | 'ruby';

export interface CodeLanguage {
  id: LanguageId;
  /** The grammar's file in @vscode/tree-sitter-wasm (copied to dist/grammars/). */
  grammar: string;
  extensions: readonly string[];
  /**
   * What a file must say for its language's checks to have anything to look at (the
   * libraries' module names and the APIs the checks read): tested on the text before it
   * is parsed, since parsing is most of the cost.
   */
  uses: RegExp;
  /**
   * The byte needles of the first look's pre-filter for this language: a superset of
   * `uses` (each match of it holds one), so the byte search never drops a file the checks
   * would read (__tests__/code/checks.test.ts holds it to that). Few, since each is a pass
   * over every source file's bytes.
   */
  markers: readonly Buffer[];
}

const needles = (...words: string[]): readonly Buffer[] => words.map((w) => Buffer.from(w, 'latin1'));
// jsonwebtoken; 'jose'; jwt-simple, express-jwt, passport-jwt.
const JS_MARKERS = needles('jsonwebtoken', 'jose', 'jwt');
const JS_USES = /jsonwebtoken|['"`]jose['"`/]|jwt-simple|express-jwt|passport-jwt/;

export const LANGUAGES: readonly CodeLanguage[] = [
  { id: 'javascript', grammar: 'tree-sitter-javascript.wasm', extensions: ['.js', '.mjs', '.cjs', '.jsx'], uses: JS_USES, markers: JS_MARKERS },
  { id: 'typescript', grammar: 'tree-sitter-typescript.wasm', extensions: ['.ts', '.mts', '.cts'], uses: JS_USES, markers: JS_MARKERS },
  { id: 'tsx', grammar: 'tree-sitter-tsx.wasm', extensions: ['.tsx'], uses: JS_USES, markers: JS_MARKERS },
  { id: 'python', grammar: 'tree-sitter-python.wasm', extensions: ['.py', '.pyw'], uses: /\b(?:import|from)[ \t]+(?:jwt|jose|authlib\.jose)\b|\bimport[ \t]+[\w.]+[ \t]*,[ \t]*jwt\b/, markers: needles('jwt', 'jose') },
  { id: 'java', grammar: 'tree-sitter-java.wasm', extensions: ['.java'], uses: /com\.auth0\.jwt|io\.jsonwebtoken|com\.nimbusds\.(jose|jwt)/, markers: needles('jwt', 'jsonwebtoken', 'jose') },
  { id: 'go', grammar: 'tree-sitter-go.wasm', extensions: ['.go'], uses: /golang-jwt\/jwt|dgrijalva\/jwt-go|jwt-go|go-jose/, markers: needles('jwt', 'jose') },
  { id: 'csharp', grammar: 'tree-sitter-c-sharp.wasm', extensions: ['.cs'], uses: /TokenValidationParameters|SymmetricSecurityKey|SignatureValidator/, markers: needles('TokenValidation', 'SecurityKey', 'SignatureValidator') },
  { id: 'ruby', grammar: 'tree-sitter-ruby.wasm', extensions: ['.rb'], uses: /\bJWT\.(de|en)code\b/, markers: needles('JWT') },
];

const BY_ID: ReadonlyMap<LanguageId, CodeLanguage> = new Map(LANGUAGES.map((language) => [language.id, language]));

/** A language by its id (a helper thread is told the id of the file it is to analyse). */
export function languageById(id: LanguageId): CodeLanguage | undefined {
  return BY_ID.get(id);
}

const BY_EXTENSION: ReadonlyMap<string, CodeLanguage> = new Map(LANGUAGES.flatMap((language) => language.extensions.map((ext) => [ext, language] as const)));

/** The language of a path by its extension. */
export function languageOf(file: string): CodeLanguage | undefined {
  // Declarations hold no calls; minified bundles are built, not written (their sources are what to review).
  if (/\.d\.[cm]?ts$|[.-]min\.[cm]?js$|\.bundle\.js$/.test(file)) return undefined;
  const dot = file.lastIndexOf('.');
  if (dot <= file.lastIndexOf('/')) return undefined;
  return BY_EXTENSION.get(file.slice(dot).toLowerCase());
}

/** Whether bytes name a JWT library the code checks know for the language: a byte search, then the language's module test. */
export function mentionsJwtLibrary(bytes: Buffer, language: CodeLanguage, hasMarker: (bytes: Buffer, language: CodeLanguage) => boolean = anyMarker): boolean {
  return hasMarker(bytes, language) && language.uses.test(bytes.toString('latin1'));
}

/** Whether any of the language's markers occurs in the bytes: a Buffer.indexOf pass per marker (the first look passes a one-pass search instead). */
export function anyMarker(bytes: Buffer, language: CodeLanguage): boolean {
  return language.markers.some((marker) => bytes.indexOf(marker) !== -1);
}

/**
 * Built code (a bundle, minified output) is not what a reviewer reads, and its callees are
 * renamed: its sources are what the checks judge. Told by its lines, which average hundreds
 * of characters where written code averages under a hundred; judged on a text or on a
 * file's first block, whose line breaks `countBreaks` counts (asked only of 20,000 bytes or more).
 */
export function builtCode(length: number, countBreaks: () => number): boolean {
  if (length < 20_000) return false;
  return length / (countBreaks() + 1) > 300;
}

/** Source files larger than this are not parsed (generated and minified code): reported as not analysed. */
export const MAX_CODE_BYTES = 2 << 20;
