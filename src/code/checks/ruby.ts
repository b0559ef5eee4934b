import { isFalse, noneIn, secretOf, type CheckContext } from '../facts.js';

const NAMES: ReadonlySet<string> = new Set(['decode', 'encode']);

/** Ruby: ruby-jwt (`require 'jwt'`), as its documentation describes JWT.decode and JWT.encode. */
export function checkRuby(context: CheckContext): void {
  const { code, imports } = context;
  if (!imports.modules.has('jwt') && !/\bJWT\.(de|en)code\b/.test(code.text)) return;
  for (const call of code.calls(NAMES)) {
    if (call.path[0] !== 'JWT' || call.path.length !== 2) continue;
    if (call.name === 'decode') {
      // JWT.decode(token, key, verify = true, options = {})
      const [, key, verify, options] = call.args;
      if (verify && isFalse(code.resolve(verify))) context.insecure('noSignature', verify, 'ruby-jwt', 'JWT.decode', 'its third argument, verify, is false', "pass true and the algorithm: JWT.decode(token, key, true, { algorithm: 'ES256' })");
      const entries = options ? code.resolve(options) : undefined;
      const named = new Map([...(entries?.kind === 'map' ? entries.entries : []), ...call.named]);
      const none = noneIn(code, named.get('algorithm') ? code.resolve(named.get('algorithm')!) : undefined) ?? noneIn(code, named.get('algorithms') ? code.resolve(named.get('algorithms')!) : undefined);
      if (none) context.insecure('algorithmNone', none, 'ruby-jwt', 'JWT.decode', "the algorithm is 'none'", "name the algorithm the issuer signs with: { algorithm: 'ES256' }");
      const expiration = named.get('verify_expiration');
      if (expiration && isFalse(code.resolve(expiration))) context.insecure('noExpiry', expiration, 'ruby-jwt', 'JWT.decode', 'verify_expiration: false', 'remove verify_expiration: false (leeway: absorbs clock skew)');
      const notBefore = named.get('verify_not_before');
      if (notBefore && isFalse(code.resolve(notBefore))) context.insecure('noNotBefore', notBefore, 'ruby-jwt', 'JWT.decode', 'verify_not_before: false', 'remove verify_not_before: false');
      if (key) secretOf(context, key, 'ruby-jwt', 'JWT.decode');
    } else if (call.name === 'encode') {
      // JWT.encode(payload, key, algorithm = 'HS256', header_fields = {})
      const [, key, algorithm] = call.args;
      const alg = algorithm ? code.resolve(algorithm) : undefined;
      if (alg?.kind === 'string' && alg.value.toLowerCase() === 'none') context.insecure('algorithmNone', alg.node, 'ruby-jwt', 'JWT.encode', "the algorithm is 'none'", "sign with a real algorithm: JWT.encode(payload, key, 'ES256')");
      if (key) secretOf(context, key, 'ruby-jwt', 'JWT.encode');
    }
  }
}
