import type { Node } from 'web-tree-sitter';
import { secretOf, type CheckContext, type InsecureMessage } from '../facts.js';
import { ancestor } from '../syntax.js';

/**
 * C#: Microsoft.IdentityModel's TokenValidationParameters (ASP.NET Core's JwtBearer,
 * JwtSecurityTokenHandler, JsonWebTokenHandler), set in an object initializer or by
 * assignment, and SymmetricSecurityKey built from a literal.
 */
const SWITCHES: ReadonlyMap<string, [InsecureMessage, string]> = new Map([
  ['ValidateLifetime', ['noExpiry', 'remove ValidateLifetime = false (ClockSkew absorbs clock skew)']],
  ['RequireExpirationTime', ['noExpiry', 'remove RequireExpirationTime = false, and issue tokens with exp']],
  ['ValidateIssuer', ['noIssuer', 'set ValidIssuer (or ValidIssuers) and remove ValidateIssuer = false']],
  ['ValidateAudience', ['noAudience', 'set ValidAudience (or ValidAudiences) and remove ValidateAudience = false']],
  ['ValidateIssuerSigningKey', ['noKeyCheck', 'remove ValidateIssuerSigningKey = false, so the key is checked as well as the signature']],
  ['RequireSignedTokens', ['noSignature', 'remove RequireSignedTokens = false']],
  ['RequireAudience', ['noAudience', 'remove RequireAudience = false']],
]);

const KEYS: ReadonlySet<string> = new Set(['SymmetricSecurityKey']);
/** The properties the checks read, found by name: a large file has many assignments, and few of these. */
const PROPERTIES: ReadonlySet<string> = new Set([...SWITCHES.keys(), 'SignatureValidator', 'IssuerSigningKey', 'TokenDecryptionKey']);

export function checkCSharp(context: CheckContext): void {
  const { code, imports } = context;
  if (!imports.uses('Microsoft.IdentityModel') && !imports.uses('System.IdentityModel') && !/TokenValidationParameters/.test(code.text)) return;
  const seen = new Set<number>();
  for (const name of code.nodesNamed(PROPERTIES)) {
    // The name is the assignment's left side, or the member named on it (p.ValidateAudience = …).
    const assignment = ancestor(name, 'assignment_expression', 2);
    if (!assignment || seen.has(assignment.id)) continue;
    seen.add(assignment.id);
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (!left || !right) continue;
    const property = left.type === 'member_access_expression' ? left.childForFieldName('name')?.text : left.type === 'identifier' ? left.text : undefined;
    if (!property || !inValidationParameters(assignment, left)) continue;
    const setting = SWITCHES.get(property);
    const value = code.resolve(right);
    if (setting && value.kind === 'bool' && !value.value) context.insecure(setting[0], assignment, 'Microsoft.IdentityModel', 'TokenValidationParameters', `${property} = false`, setting[1]);
    if (property === 'SignatureValidator' && returnsTokenUnchecked(right)) {
      context.insecure('noSignature', assignment, 'Microsoft.IdentityModel', 'TokenValidationParameters', 'its SignatureValidator returns the token without checking the signature', 'remove the SignatureValidator and set IssuerSigningKey (or IssuerSigningKeys)');
    }
    if ((property === 'IssuerSigningKey' || property === 'TokenDecryptionKey') && right) secretOf(context, right, 'Microsoft.IdentityModel', property);
  }
  for (const call of code.calls(KEYS)) {
    if (call.isNew && call.name === 'SymmetricSecurityKey' && call.args[0]) secretOf(context, call.args[0], 'Microsoft.IdentityModel', 'new SymmetricSecurityKey');
  }
}

/** An assignment inside a TokenValidationParameters initializer, or to a member of something of that name or type. */
function inValidationParameters(assignment: Node, left: Node): boolean {
  const initializer = assignment.parent;
  if (initializer?.type === 'initializer_expression') {
    const creation = initializer.parent;
    return creation?.type === 'object_creation_expression' ? /TokenValidationParameters$/.test(creation.childForFieldName('type')?.text ?? '') : /TokenValidationParameters\s*=\s*new\s*\(?\)?\s*\{?/.test(initializer.parent?.parent?.text.slice(0, 200) ?? '');
  }
  // parameters.ValidateAudience = false; options.TokenValidationParameters.ValidateLifetime = false
  return left.type === 'member_access_expression' && SWITCHES.has(left.childForFieldName('name')?.text ?? '') || left.childForFieldName('name')?.text === 'SignatureValidator';
}

/** (token, parameters) => new JwtSecurityToken(token): a validator that parses without validating. */
function returnsTokenUnchecked(validator: Node): boolean {
  if (validator.type !== 'lambda_expression' && validator.type !== 'anonymous_method_expression') return false;
  const body = validator.childForFieldName('body');
  if (!body) return false;
  if (/Validate|Verify|CheckSignature/.test(body.text)) return false;
  return /new\s+(JwtSecurityToken|JsonWebToken)\s*\(/.test(body.text) || /ReadJwtToken|ReadToken|ReadJsonWebToken/.test(body.text);
}
