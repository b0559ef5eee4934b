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
}

const JS_USES = /jsonwebtoken|['"`]jose['"`/]|jwt-simple|express-jwt|passport-jwt/;

export const LANGUAGES: readonly CodeLanguage[] = [
  { id: 'javascript', grammar: 'tree-sitter-javascript.wasm', extensions: ['.js', '.mjs', '.cjs', '.jsx'], uses: JS_USES },
  { id: 'typescript', grammar: 'tree-sitter-typescript.wasm', extensions: ['.ts', '.mts', '.cts'], uses: JS_USES },
  { id: 'tsx', grammar: 'tree-sitter-tsx.wasm', extensions: ['.tsx'], uses: JS_USES },
  { id: 'python', grammar: 'tree-sitter-python.wasm', extensions: ['.py', '.pyw'], uses: /\b(?:import|from)[ \t]+(?:jwt|jose|authlib)\b|\bimport[ \t]+[\w.]+[ \t]*,[ \t]*jwt\b/ },
  { id: 'java', grammar: 'tree-sitter-java.wasm', extensions: ['.java'], uses: /com\.auth0\.jwt|io\.jsonwebtoken|com\.nimbusds\./ },
  { id: 'go', grammar: 'tree-sitter-go.wasm', extensions: ['.go'], uses: /golang-jwt\/jwt|dgrijalva\/jwt-go|jwt-go|go-jose/ },
  { id: 'csharp', grammar: 'tree-sitter-c-sharp.wasm', extensions: ['.cs'], uses: /TokenValidationParameters|SymmetricSecurityKey|SignatureValidator/ },
  { id: 'ruby', grammar: 'tree-sitter-ruby.wasm', extensions: ['.rb'], uses: /\bJWT\.(de|en)code\b/ },
];

const BY_EXTENSION: ReadonlyMap<string, CodeLanguage> = new Map(LANGUAGES.flatMap((language) => language.extensions.map((ext) => [ext, language] as const)));

/** The language of a path by its extension. */
export function languageOf(file: string): CodeLanguage | undefined {
  // Declarations hold no calls; minified bundles are built, not written (their sources are what to review).
  if (/\.d\.[cm]?ts$|[.-]min\.[cm]?js$|\.bundle\.js$/.test(file)) return undefined;
  const dot = file.lastIndexOf('.');
  if (dot <= file.lastIndexOf('/')) return undefined;
  return BY_EXTENSION.get(file.slice(dot).toLowerCase());
}

/**
 * The byte needles of the pre-filter: every library the checks know is named by one of
 * them in the file that uses it (an import, a package, a namespace). `jwt` in its three
 * cases covers jsonwebtoken's users' variable names, PyJWT, java-jwt, golang-jwt,
 * ruby-jwt, express-jwt, passport-jwt and jwt-simple; `jose` covers jose, python-jose,
 * go-jose, Nimbus and authlib.jose; `jsonwebtoken` covers jjwt (io.jsonwebtoken);
 * `IdentityModel` and `TokenValidation` cover .NET.
 */
export const CODE_MARKERS: readonly Buffer[] = ['jwt', 'JWT', 'Jwt', 'jose', 'JOSE', 'Jose', 'jsonwebtoken', 'IdentityModel', 'TokenValidation', 'Jws'].map((m) => Buffer.from(m, 'latin1'));

/** Whether bytes name a JWT library the code checks know (the pre-filter for source files). */
export function mentionsJwtLibrary(bytes: Buffer): boolean {
  for (const marker of CODE_MARKERS) if (bytes.indexOf(marker) !== -1) return true;
  return false;
}

/** Source files larger than this are not parsed (generated and minified code): reported as not analysed. */
export const MAX_CODE_BYTES = 2 << 20;
