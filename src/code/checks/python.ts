import type { Node } from 'web-tree-sitter';
import { isFalse, noneIn, option, optionNode, placeName, secretOf, verifiesIn, type CheckContext, type InsecureMessage } from '../facts.js';
import type { Call } from '../syntax.js';

/**
 * Python: PyJWT (`import jwt`), python-jose (`from jose import jwt`) and authlib
 * (`from authlib.jose import jwt`, `JsonWebToken`), as their documentation describes them.
 */
const OPTIONS: ReadonlyArray<[string, InsecureMessage, string]> = [
  ['verify_signature', 'noSignature', 'remove verify_signature: False; to read a token before verifying it, use it only to pick the key'],
  ['verify_exp', 'noExpiry', 'remove verify_exp: False, and give tokens a short exp (leeway= absorbs clock skew)'],
  ['verify_nbf', 'noNotBefore', 'remove verify_nbf: False (leeway= absorbs clock skew)'],
  ['verify_aud', 'noAudience', 'remove verify_aud: False and pass audience='],
  ['verify_iss', 'noIssuer', 'remove verify_iss: False and pass issuer='],
];

const LIBRARIES: ReadonlyMap<string, string> = new Map([
  ['jwt', 'PyJWT'],
  ['jose.jwt', 'python-jose'],
  ['authlib.jose.jwt', 'authlib'],
]);

const NAMES: ReadonlySet<string> = new Set(['decode', 'encode', 'get_unverified_claims', 'get_unverified_header', 'JsonWebToken']);
const DECODE: ReadonlySet<string> = new Set(['decode']);
const VALIDATE: ReadonlySet<string> = new Set(['validate']);

export function checkPython(context: CheckContext): void {
  const { code, imports } = context;
  for (const call of code.calls(NAMES)) {
    const q = imports.qualify(call.path);
    const dot = q.lastIndexOf('.');
    const module = dot === -1 ? '' : q.slice(0, dot);
    const library = LIBRARIES.get(module) ?? (q === 'jwt.PyJWT.decode' ? 'PyJWT' : undefined);
    if (library === undefined) {
      authlibAlgorithms(context, call, q);
      continue;
    }
    const name = `${module === 'jwt' ? 'jwt' : module.split('.').at(-1)}.${call.name}`;
    if (call.name === 'decode' && library !== 'authlib') pyjwtDecode(context, call, library, name);
    else if (call.name === 'decode') authlibDecode(context, call, name);
    else if (call.name === 'encode') {
      const key = call.args[1] ?? call.named.get('key');
      if (key) secretOf(context, key, library, name);
      const algorithm = code.resolve(call.args[2] ?? call.named.get('algorithm') ?? call.node);
      if (algorithm.kind === 'string' && algorithm.value.toLowerCase() === 'none') context.insecure('algorithmNone', algorithm.node, library, name, "algorithm='none'", "sign with a real algorithm: algorithm='ES256'");
    } else if (call.name === 'get_unverified_claims' || call.name === 'get_unverified_header') {
      unverified(context, call, library, name);
    }
  }
}

/** jwt.decode(token, key, algorithms=[...], options={...}) in PyJWT and python-jose. */
function pyjwtDecode(context: CheckContext, call: Call, library: string, name: string): void {
  const { code } = context;
  const options = call.named.get('options');
  for (const [key, messageId, safe] of OPTIONS) {
    if (isFalse(option(code, options, key))) context.insecure(messageId, optionNode(code, options, key) ?? options!, library, name, `options={"${key}": False}`, safe);
  }
  // PyJWT 1.x: verify=False turns every check off.
  const verify = call.named.get('verify');
  if (verify && isFalse(code.resolve(verify))) context.insecure('noSignature', verify, library, name, 'verify=False', 'remove verify=False and pass algorithms=[...] (PyJWT 2 ignores verify=)');
  const algorithms = call.named.get('algorithms') ?? call.args[2];
  const none = noneIn(code, algorithms ? code.resolve(algorithms) : undefined);
  if (none) context.insecure('algorithmNone', none, library, name, "algorithms lists 'none'", "list only the algorithms the issuer signs with: algorithms=['ES256']");
  // algorithms=[jwt.get_unverified_header(token)['alg']]: the token picks its own algorithm.
  if (algorithms && /get_unverified_header/.test(algorithms.text)) context.insecure('headerAlg', algorithms, library, name, "algorithms taken from the token's own header", "fix the algorithms in code: algorithms=['ES256']");
  const key = call.args[1] ?? call.named.get('key');
  if (key) secretOf(context, key, library, name);
}

/** get_unverified_claims and get_unverified_header read a token without verifying it: fine to pick a key, a finding where nothing verifies. */
function unverified(context: CheckContext, call: Call, library: string, name: string): void {
  if (call.name === 'get_unverified_header') return;
  const { scope, where } = placeName(context.code, call.node);
  if (!verifiesIn(context, scope, DECODE, (q, c) => /\.decode$/.test(q) && c.named.get('options') === undefined) ) {
    context.insecure('decodeTrusted', call.node, library, name, `${call.name} does not verify`, 'use jwt.decode(token, key, algorithms=[...]) and its result', where);
  }
}

/**
 * authlib: jwt.decode(s, key) verifies the signature but not the claims; they are checked
 * only by claims.validate(). A decode whose result is never validated in its function
 * trusts exp, nbf, iss and aud unread.
 */
function authlibDecode(context: CheckContext, call: Call, name: string): void {
  const { code } = context;
  const key = call.args[1] ?? call.named.get('key');
  if (key) secretOf(context, key, 'authlib', name);
  const { scope } = placeName(code, call.node);
  const assigned = assignedName(call.node);
  const validated = code.calls(VALIDATE).some((c) => c.name === 'validate' && c.node.startIndex >= scope.startIndex && c.node.endIndex <= scope.endIndex && (!assigned || c.path[0] === assigned));
  if (!validated) context.insecure('noClaims', call.node, 'authlib', name, `${assigned ? `${assigned}.validate()` : 'claims.validate()'} is never called`, 'call claims.validate() after jwt.decode (with claims_options for iss and aud)');
}

/** JsonWebToken(['HS256', 'none']): an authlib instance that accepts unsigned tokens. */
function authlibAlgorithms(context: CheckContext, call: Call, q: string): void {
  if (q !== 'authlib.jose.JsonWebToken') return;
  const algorithms = call.args[0] ?? call.named.get('algorithms');
  const none = noneIn(context.code, algorithms ? context.code.resolve(algorithms) : undefined);
  if (none) context.insecure('algorithmNone', none, 'authlib', 'JsonWebToken', "its algorithms list 'none'", "list only the algorithms the issuer signs with: JsonWebToken(['ES256'])");
}

function assignedName(node: Node): string | undefined {
  const parent = node.parent;
  if (parent?.type !== 'assignment') return undefined;
  const left = parent.childForFieldName('left');
  return left?.type === 'identifier' ? left.text : undefined;
}
