import type { Node } from 'web-tree-sitter';
import type { Imports } from './imports.js';
import type { Call, Code, Value } from './syntax.js';

/** What a code check found: the rule, the message and its data (never a secret's value), where, and what identifies it across edits. */
export interface CodeFact {
  ruleId: 'insecure-verification' | 'hardcoded-secret';
  messageId: string;
  data: Record<string, string | number>;
  /** Offsets in the text (UTF-16 code units, as tree-sitter reports them for a JavaScript string). */
  start: number;
  end: number;
  /** The library, for the finding's artifact facts. */
  library: string;
  /** Stable across moves and reformatting: the rule, the library, the call and what is off (a secret's length, never its value). */
  identity: string;
}

/** The ways the checks of one language are written: a file, its imports, and where facts go. */
export interface CheckContext {
  code: Code;
  imports: Imports;
  insecure(messageId: InsecureMessage, at: Node, library: string, call: string, how: string, safe: string, where?: string): void;
  secret(literal: SecretLiteral, library: string, call: string): void;
}

export type InsecureMessage = 'noSignature' | 'algorithmNone' | 'noExpiry' | 'noNotBefore' | 'noAudience' | 'noIssuer' | 'noClaims' | 'headerAlg' | 'decodeTrusted' | 'noKeyCheck';

export interface SecretLiteral {
  value: string;
  node: Node;
  /** The variable or constant it reached the call through. */
  via?: string;
}

/**
 * Calls that turn a string into key bytes without changing what it is: the secret is the
 * literal inside (`new TextEncoder().encode('s')`, `[]byte("s")`, `"s".getBytes()`,
 * `Encoding.UTF8.GetBytes("s")`, `Keys.hmacShaKeyFor(...)`, `new SymmetricSecurityKey(...)`).
 */
const KEY_WRAPPERS = new Set(['encode', 'from', 'createSecretKey', 'getBytes', 'GetBytes', 'hmacShaKeyFor', 'SecretKeySpec', 'SymmetricSecurityKey', 'FromBase64String', 'decode', 'bytes', 'encodeToByteArray', 'toByteArray', 'parseHex']);

/** A string literal that a key argument is, directly or through names and wrappers; undefined for anything read at run time. */
export function secretLiteral(code: Code, node: Node, depth = 0): SecretLiteral | undefined {
  const value: Value = code.resolve(node);
  if (value.kind === 'string') {
    if (value.value.length === 0) return undefined;
    // A key written out is not a shared secret: private-key reports private ones (PEM, JWK); public ones (PEM, SSH, JWK) are public.
    if (/-----BEGIN |^\s*(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-|sk-(ssh|ecdsa)-)|"kty"\s*:/.test(value.value)) return undefined;
    return { value: value.value, node: value.node, ...(value.via ? { via: value.via } : {}) };
  }
  if (depth > 3 || value.kind !== 'unknown') return undefined;
  const n = value.node;
  if (n.type === 'type_conversion_expression') {
    const operand = n.childForFieldName('operand');
    return operand ? secretLiteral(code, operand, depth + 1) : undefined;
  }
  const call = code.callOf(n);
  if (!call || !KEY_WRAPPERS.has(call.name)) return undefined;
  // "s".getBytes() and 's'.encode(): the string is the receiver; otherwise the first argument.
  const inner = call.args[0] ?? call.receiver;
  const found = inner ? secretLiteral(code, inner, depth + 1) : undefined;
  if (!found && call.receiver && call.args[0]) return secretLiteral(code, call.receiver, depth + 1);
  return found;
}

/** An options value's entry, resolved: `{ ignoreExpiration: true }` through a constant too. */
export function option(code: Code, options: Node | undefined, name: string): Value | undefined {
  if (!options) return undefined;
  const map = code.resolve(options);
  if (map.kind !== 'map') return undefined;
  const entry = map.entries.get(name);
  return entry ? code.resolve(entry) : undefined;
}

/** The node of an options entry (for the place to report), when the options are a literal map. */
export function optionNode(code: Code, options: Node | undefined, name: string): Node | undefined {
  if (!options) return undefined;
  const map = code.resolve(options);
  return map.kind === 'map' ? map.entries.get(name) : undefined;
}

/** The entries of a list value that are the string `none` (any case): an algorithm list that lets unsigned tokens through. */
export function noneIn(code: Code, value: Value | undefined): Node | undefined {
  if (!value) return undefined;
  if (value.kind === 'string') return value.value.toLowerCase() === 'none' ? value.node : undefined;
  if (value.kind !== 'list') return undefined;
  for (const item of value.items) {
    const v = code.resolve(item);
    if (v.kind === 'string' && v.value.toLowerCase() === 'none') return v.node;
  }
  return undefined;
}

export const isFalse = (value: Value | undefined): boolean => value?.kind === 'bool' && !value.value;
export const isTrue = (value: Value | undefined): boolean => value?.kind === 'bool' && value.value;

/** Whether a function (or the file's top level) calls one of the verifying functions, by qualified name or, unresolved, by its own name. */
export function verifiesIn(context: CheckContext, scope: Node, names: ReadonlySet<string>, verifying: (qualified: string, call: Call) => boolean): boolean {
  const { code, imports } = context;
  return code.calls(names).some((call) => call.node.startIndex >= scope.startIndex && call.node.endIndex <= scope.endIndex && verifying(imports.qualify(call.path), call));
}

/** How a message names the place a decode sits in: the function's name, or "this file". */
export function placeName(code: Code, node: Node): { scope: Node; where: string } {
  const fn = code.functionOf(node);
  if (!fn) return { scope: code.root, where: 'this file' };
  const name = fn.childForFieldName('name')?.text ?? (fn.parent?.type === 'variable_declarator' ? fn.parent.childForFieldName('name')?.text : undefined) ?? (fn.parent?.type === 'pair' ? fn.parent.childForFieldName('key')?.text : undefined);
  return { scope: fn, where: name ? `the function ${name}` : 'the function around it' };
}

/** Reports a key argument that is a literal (directly, or through a name or a wrapper). */
export function secretOf(context: CheckContext, node: Node, library: string, call: string): void {
  const literal = secretLiteral(context.code, node);
  if (literal) context.secret(literal, library, call);
}
