import type { Node } from 'web-tree-sitter';
import { isTrue, placeName, secretOf, verifiesIn, type CheckContext } from '../facts.js';
import { ancestor, type Call } from '../syntax.js';

/**
 * Go: golang-jwt (and its predecessor dgrijalva/jwt-go, form3tech's fork) and go-jose,
 * as their documentation describes them.
 */
const GOLANG_JWT = /^(github\.com\/golang-jwt\/jwt|github\.com\/dgrijalva\/jwt-go|github\.com\/form3tech-oss\/jwt-go)$/;
const GO_JOSE = /^(github\.com\/(go-jose|square)\/go-jose|gopkg\.in\/(square|go-jose)\/go-jose\.v\d)(\/v\d+)?(\/jwt)?$/;
const PARSE: ReadonlySet<string> = new Set(['Parse', 'ParseWithClaims']);
const NAMES: ReadonlySet<string> = new Set([...PARSE, 'ParseUnverified', 'WithoutClaimsValidation', 'UnsafeClaimsWithoutVerification', 'SignedString']);
const JOSE_VERIFY: ReadonlySet<string> = new Set(['Claims', 'Verify']);
const NONE: ReadonlySet<string> = new Set(['UnsafeAllowNoneSignatureType', 'SigningMethodNone']);
const SKIP: ReadonlySet<string> = new Set(['SkipClaimsValidation']);

export function checkGo(context: CheckContext): void {
  const { code, imports } = context;
  const jwtPackages = [...imports.names].filter(([, module]) => GOLANG_JWT.test(module)).map(([local]) => local);
  const josePackages = [...imports.names].filter(([, module]) => GO_JOSE.test(module)).map(([local]) => local);
  if (jwtPackages.length === 0 && josePackages.length === 0) return;
  const isJwt = (name: string | undefined) => name !== undefined && jwtPackages.includes(name);

  for (const call of code.calls(NAMES)) {
    const [pkg] = call.path;
    // jwt.Parse(token, keyFunc, options...), and a parser's p.Parse(...)
    if (PARSE.has(call.name) && (isJwt(pkg) || call.path.length === 2)) {
      const keyFunc = call.args[call.name === 'Parse' ? 1 : 2];
      const validMethods = call.args.some((a) => /\bWithValidMethods\b/.test(a.text)) || parserHasValidMethods(context, call);
      if (keyFunc && isJwt(pkg) || keyFunc && parserOf(context, call)) checkKeyFunc(context, keyFunc, validMethods, `jwt.${call.name}`);
    }
    if (call.name === 'ParseUnverified') {
      const { scope, where } = placeName(code, call.node);
      if (!verifiesIn(context, scope, PARSE, () => true)) context.insecure('decodeTrusted', call.node, 'golang-jwt', `${call.path.length > 1 ? call.path.slice(-2).join('.') : call.name}`, 'ParseUnverified does not check the signature', 'parse with jwt.Parse(token, keyFunc, jwt.WithValidMethods([]string{"ES256"})) and use its token', where);
    }
    if (isJwt(pkg) && call.name === 'WithoutClaimsValidation') context.insecure('noClaims', call.node, 'golang-jwt', 'jwt.WithoutClaimsValidation', 'the parser option WithoutClaimsValidation()', 'remove it: exp, nbf, iss and aud are then checked (WithLeeway absorbs clock skew)');
    if (call.name === 'UnsafeClaimsWithoutVerification') {
      const { scope, where } = placeName(code, call.node);
      if (!verifiesIn(context, scope, JOSE_VERIFY, () => true)) context.insecure('decodeTrusted', call.node, 'go-jose', 'UnsafeClaimsWithoutVerification', 'it reads the claims without checking the signature', 'use token.Claims(key, &claims), then claims.Validate(jwt.Expected{...})', where);
    }
    // token.SignedString([]byte("secret"))
    if (call.name === 'SignedString' && call.args[0]) secretOf(context, call.args[0], 'golang-jwt', 'SignedString');
  }

  // jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType: unsigned tokens, minted or accepted.
  for (const name of code.nodesNamed(NONE)) {
    const selector = name.parent;
    if (selector?.type !== 'selector_expression') continue;
    const operand = selector.childForFieldName('operand')?.text;
    const field = selector.childForFieldName('field')?.text;
    if (!isJwt(operand)) continue;
    if (field === 'UnsafeAllowNoneSignatureType') context.insecure('algorithmNone', selector, 'golang-jwt', 'jwt.UnsafeAllowNoneSignatureType', 'it makes the none method verify', 'remove it, and sign tokens with a real method');
    else if (field === 'SigningMethodNone') context.insecure('algorithmNone', selector, 'golang-jwt', 'jwt.SigningMethodNone', 'a token with no signature', 'use a real signing method (jwt.SigningMethodES256, jwt.SigningMethodEdDSA)');
  }
  // jwt.Parser{SkipClaimsValidation: true} (v3, v4)
  for (const literal of code.nodesNamed(SKIP).map((n) => ancestor(n, 'composite_literal')).filter((n): n is Node => n !== undefined)) {
    if (!isJwt(literal.childForFieldName('type')?.text.split('.')[0])) continue;
    const value = code.resolve(literal);
    if (value.kind !== 'map') continue;
    const skip = value.entries.get('SkipClaimsValidation');
    if (skip && isTrue(code.resolve(skip))) context.insecure('noClaims', skip, 'golang-jwt', 'jwt.Parser', 'SkipClaimsValidation: true', 'remove it: exp, nbf, iss and aud are then checked');
  }
}

/** The parser a method call is made on, when it was made by jwt.NewParser(...) in this file. */
function parserOf(context: CheckContext, call: Call): Call | undefined {
  if (!call.receiver) return undefined;
  const value = context.code.resolve(call.receiver);
  const made = value.kind === 'unknown' ? context.code.callOf(value.node) : undefined;
  return made && made.name === 'NewParser' ? made : undefined;
}

function parserHasValidMethods(context: CheckContext, call: Call): boolean {
  const parser = parserOf(context, call);
  return Boolean(parser && parser.args.some((a) => /\bWithValidMethods\b/.test(a.text)));
}

/**
 * A Keyfunc must check the token's method before it hands out a key: without that check
 * (or the parser's WithValidMethods), a token signed with HS256 and the RSA public key as
 * secret verifies. The key it returns is also where a hard-coded secret shows.
 */
function checkKeyFunc(context: CheckContext, keyFunc: Node, validMethods: boolean, call: string): void {
  const { code } = context;
  const fn = code.unwrap(keyFunc);
  const body = fn.type === 'func_literal' ? fn : declaredFunction(context, fn);
  if (!body) return;
  if (!validMethods && !/\.Method\b|\.Header\[\s*"alg"\s*\]|\.Alg\(\)/.test(body.text)) {
    context.insecure('headerAlg', fn, 'golang-jwt', call, 'its Keyfunc returns a key without checking token.Method', 'check the method in the Keyfunc (if _, ok := token.Method.(*jwt.SigningMethodECDSA); !ok { return nil, err }), or pass jwt.WithValidMethods([]string{"ES256"})');
  }
  for (const ret of body.descendantsOfType('return_statement')) {
    const first = ret?.namedChildren[0]?.type === 'expression_list' ? ret.namedChildren[0].namedChildren[0] : ret?.namedChildren[0];
    if (first) secretOf(context, first, 'golang-jwt', `${call} Keyfunc`);
  }
}

/** A Keyfunc passed by name: the function declared with that name in this file. */
function declaredFunction(context: CheckContext, name: Node): Node | undefined {
  if (name.type !== 'identifier') return undefined;
  for (const fn of context.code.root.descendantsOfType('function_declaration')) if (fn?.childForFieldName('name')?.text === name.text) return fn;
  return undefined;
}
