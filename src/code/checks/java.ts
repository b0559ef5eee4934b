import type { Node } from 'web-tree-sitter';
import { placeName, secretOf, verifiesIn, type CheckContext } from '../facts.js';

/**
 * Java: auth0's java-jwt, jjwt (io.jsonwebtoken) and Nimbus JOSE+JWT, as their
 * documentation describes them. Java imports name classes, so calls are judged by the
 * class they are made on where the file imports its library.
 */
const JJWT_KEY = /^(setSigningKey|setSigningKeyResolver|verifyWith|keyLocator|signWith)$/;
const JJWT_HMAC_KEYS = new Set(['setSigningKey', 'signWith', 'hmacShaKeyFor']);

const NAMES: ReadonlySet<string> = new Set(['decode', 'none', 'HMAC256', 'HMAC384', 'HMAC512', 'parseClaimsJwt', 'parsePlaintextJwt', 'parseUnsecuredClaims', 'parseUnsecuredContent', 'unsecured', 'parse', 'setSigningKey', 'signWith', 'hmacShaKeyFor', 'MACVerifier', 'MACSigner', 'PlainJWT', 'JWSVerifier']);
const VERIFY: ReadonlySet<string> = new Set(['verify']);

export function checkJava(context: CheckContext): void {
  const { code, imports } = context;
  const auth0 = imports.uses('com.auth0.jwt');
  const jjwt = imports.uses('io.jsonwebtoken');
  const nimbus = imports.uses('com.nimbusds.jose') || imports.uses('com.nimbusds.jwt');
  if (!auth0 && !jjwt && !nimbus) return;

  for (const call of code.calls(NAMES)) {
    const [head] = call.path;
    if (auth0) {
      if (head === 'JWT' && call.name === 'decode' && call.path.length === 2) {
        const { scope, where } = placeName(code, call.node);
        if (!verifiesIn(context, scope, VERIFY, () => true)) context.insecure('decodeTrusted', call.node, 'java-jwt', 'JWT.decode', 'JWT.decode does not verify', 'verify with JWT.require(algorithm).withIssuer(...).withAudience(...).build().verify(token) and use its DecodedJWT', where);
      }
      if (head === 'Algorithm' && call.name === 'none') context.insecure('algorithmNone', call.node, 'java-jwt', 'Algorithm.none()', 'a token with no signature', 'use a real algorithm (Algorithm.ECDSA256, Algorithm.RSA256)');
      if (head === 'Algorithm' && /^HMAC(256|384|512)$/.test(call.name) && call.args[0]) secretOf(context, call.args[0], 'java-jwt', `Algorithm.${call.name}`);
    }
    if (jjwt) {
      if (call.name === 'parseClaimsJwt' || call.name === 'parsePlaintextJwt' || call.name === 'parseUnsecuredClaims' || call.name === 'parseUnsecuredContent') {
        context.insecure('algorithmNone', call.node, 'jjwt', call.name, `${call.name} parses an unsigned token`, 'use parseSignedClaims (parseClaimsJws) with verifyWith(key)');
      }
      const jwtParser = call.path[0] === 'Jwts' && (call.path.includes('parser') || call.path.includes('parserBuilder'));
      if (call.name === 'unsecured' && jwtParser) context.insecure('algorithmNone', call.node, 'jjwt', 'parser().unsecured()', 'the parser accepts unsigned tokens', 'remove unsecured() and configure verifyWith(key)');
      // Jwts.parser().parse(token) (0.10 and before) and Jwts.parserBuilder()…build().parse(token) (0.11) with no key
      // anywhere in the chain accept an unsigned token; 0.12's Jwts.parser()…build() refuses one unless unsecured().
      const legacy = !call.path.includes('build') || call.path.includes('parserBuilder');
      if (call.name === 'parse' && jwtParser && legacy && !chainHas(call.node, JJWT_KEY)) {
        context.insecure('noSignature', call.node, 'jjwt', 'Jwts.parser().parse', 'the parser has no key', 'configure the key (verifyWith(key), or setSigningKey) and parse with parseSignedClaims');
      }
      if (JJWT_HMAC_KEYS.has(call.name)) {
        const key = call.name === 'signWith' ? (call.args.length === 2 ? call.args[1] : call.args[0]) : call.args[0];
        if (key) secretOf(context, key, 'jjwt', call.name);
      }
    }
    if (nimbus) {
      if (call.isNew && (call.name === 'MACVerifier' || call.name === 'MACSigner') && call.args[0]) secretOf(context, call.args[0], 'Nimbus', `new ${call.name}`);
      if (call.isNew && call.name === 'PlainJWT') context.insecure('algorithmNone', call.node, 'Nimbus', 'new PlainJWT', 'a JWT with no signature (alg none)', 'sign with a SignedJWT and a JWSSigner');
      if (call.name === 'parse' && call.path[0] === 'PlainJWT') context.insecure('algorithmNone', call.node, 'Nimbus', 'PlainJWT.parse', 'it reads an unsecured JWT (alg none)', 'parse a SignedJWT and verify it with a JWSVerifier (or use a JWTProcessor)');
      if (call.isNew && call.name === 'JWSVerifier') acceptAll(context, call.node);
    }
  }
}

/** The method calls a chain is made of (jjwt builds its parser by chaining). */
function chainHas(node: Node, names: RegExp): boolean {
  for (let n: Node | null = node; n && n.type === 'method_invocation'; n = n.childForFieldName('object')) {
    if (names.test(n.childForFieldName('name')?.text ?? '')) return true;
  }
  return false;
}

/** new JWSVerifier() { … verify(…) { return true; } }: a verifier that accepts every signature. */
function acceptAll(context: CheckContext, creation: Node): void {
  const body = creation.namedChildren.find((c) => c?.type === 'class_body');
  if (!body) return;
  for (const method of body.descendantsOfType('method_declaration')) {
    if (method?.childForFieldName('name')?.text !== 'verify') continue;
    const returns = method.descendantsOfType('return_statement');
    if (returns.length > 0 && returns.every((r) => r?.namedChildren[0]?.type === 'true')) {
      context.insecure('noSignature', method, 'Nimbus', 'JWSVerifier.verify', 'it returns true for every signature', 'use the verifier for the key type (ECDSAVerifier, RSASSAVerifier) with the trusted key');
    }
  }
}
