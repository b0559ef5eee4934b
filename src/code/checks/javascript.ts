import { isTrue, noneIn, option, optionNode, placeName, secretOf, verifiesIn, type CheckContext } from '../facts.js';

/**
 * JavaScript and TypeScript: jsonwebtoken, jose, jwt-simple, express-jwt, passport-jwt,
 * as their documentation describes their APIs.
 */
const VERIFYING = /^(jsonwebtoken\.verify|jose\.(jwtVerify|compactVerify|flattenedVerify|generalVerify|jwtDecrypt))$/;
const SAFE_VERIFY = "verify with jwt.verify(token, key, { algorithms: ['ES256'], audience, issuer }) and use what it returns";

/** The names of the calls the checks read: the libraries' functions, and the names a file binds express-jwt and passport-jwt's Strategy to. */
const NAMES = ['verify', 'sign', 'decode', 'decodeJwt', 'jwtVerify', 'encode', 'expressjwt'];
const VERIFY_NAMES: ReadonlySet<string> = new Set(['verify', 'jwtVerify', 'compactVerify', 'flattenedVerify', 'generalVerify', 'jwtDecrypt', 'verifyToken', 'verifyJwt']);
const BOUND = /^(express-jwt(\.expressjwt|\.default)?|passport-jwt\.Strategy)$/;

export function checkJavaScript(context: CheckContext): void {
  const { code, imports } = context;
  const names = new Set(NAMES);
  for (const [local, target] of imports.names) if (BOUND.test(target)) names.add(local);
  for (const call of code.calls(names)) {
    const q = imports.qualify(call.path);
    const [first, second, third] = call.args;
    switch (q) {
      case 'jsonwebtoken.verify': {
        // verify(token, secretOrPublicKey, [options, callback])
        const options = third && code.unwrap(third).type !== 'arrow_function' && code.unwrap(third).type !== 'function_expression' ? third : undefined;
        const none = noneIn(code, option(code, options, 'algorithms'));
        if (none) context.insecure('algorithmNone', none, 'jsonwebtoken', 'jwt.verify', "algorithms lists 'none'", "list only the algorithms the issuer signs with: { algorithms: ['ES256'] }");
        if (isTrue(option(code, options, 'ignoreExpiration'))) context.insecure('noExpiry', optionNode(code, options, 'ignoreExpiration')!, 'jsonwebtoken', 'jwt.verify', 'ignoreExpiration: true', 'remove ignoreExpiration, and give tokens a short exp instead');
        if (isTrue(option(code, options, 'ignoreNotBefore'))) context.insecure('noNotBefore', optionNode(code, options, 'ignoreNotBefore')!, 'jsonwebtoken', 'jwt.verify', 'ignoreNotBefore: true', 'remove ignoreNotBefore (use clockTolerance for clock skew)');
        if (second) secretOf(context, second, 'jsonwebtoken', 'jwt.verify');
        break;
      }
      case 'jsonwebtoken.sign': {
        const algorithm = option(code, third, 'algorithm');
        if (algorithm?.kind === 'string' && algorithm.value.toLowerCase() === 'none') context.insecure('algorithmNone', algorithm.node, 'jsonwebtoken', 'jwt.sign', "algorithm: 'none'", 'sign with a real algorithm (ES256, EdDSA, RS256)');
        if (second) secretOf(context, second, 'jsonwebtoken', 'jwt.sign');
        break;
      }
      // decodeProtectedHeader is not here: a header is read before verifying, to pick the key, and holds no claims.
      case 'jsonwebtoken.decode':
      case 'jose.decodeJwt': {
        const { scope, where } = placeName(code, call.node);
        const name = q === 'jsonwebtoken.decode' ? 'jwt.decode' : call.name;
        if (!verifiesIn(context, scope, VERIFY_NAMES, (v, c) => VERIFYING.test(v) || /^(verify|jwtVerify|verifyToken|verifyJwt)$/.test(c.name))) {
          context.insecure('decodeTrusted', call.node, q.startsWith('jose') ? 'jose' : 'jsonwebtoken', name, `${name} only decodes`, q.startsWith('jose') ? 'verify with jwtVerify(token, key, { algorithms, audience, issuer }) and use its payload' : SAFE_VERIFY, where);
        }
        break;
      }
      case 'jose.UnsecuredJWT.decode':
        context.insecure('algorithmNone', call.node, 'jose', 'UnsecuredJWT.decode', 'an Unsecured JWT has alg none and no signature', 'verify a signed token with jwtVerify(token, key, { algorithms })');
        break;
      case 'jose.jwtVerify':
        if (second) secretOf(context, second, 'jose', 'jwtVerify');
        break;
      case 'jwt-simple.decode':
        // decode(token, key, noVerify, algorithm)
        if (third && isTrue(code.resolve(third))) context.insecure('noSignature', third, 'jwt-simple', 'jwt.decode', 'noVerify is true', 'drop the third argument: jwt.decode(token, key) verifies');
        if (second) secretOf(context, second, 'jwt-simple', 'jwt.decode');
        break;
      case 'jwt-simple.encode':
        if (second) secretOf(context, second, 'jwt-simple', 'jwt.encode');
        break;
      case 'express-jwt':
      case 'express-jwt.expressjwt':
      case 'express-jwt.default': {
        const none = noneIn(code, option(code, first, 'algorithms'));
        if (none) context.insecure('algorithmNone', none, 'express-jwt', 'expressjwt', "algorithms lists 'none'", "list only the algorithms the issuer signs with: algorithms: ['RS256']");
        const secret = optionNode(code, first, 'secret');
        if (secret) secretOf(context, secret, 'express-jwt', 'expressjwt secret');
        break;
      }
      default:
        break;
    }
    // new JwtStrategy(options, verify): passport-jwt's Strategy, under whatever name it was bound to.
    if (call.isNew && q === 'passport-jwt.Strategy') {
      if (isTrue(option(code, first, 'ignoreExpiration'))) context.insecure('noExpiry', optionNode(code, first, 'ignoreExpiration')!, 'passport-jwt', 'new JwtStrategy', 'ignoreExpiration: true', 'remove ignoreExpiration');
      const none = noneIn(code, option(code, first, 'algorithms'));
      if (none) context.insecure('algorithmNone', none, 'passport-jwt', 'new JwtStrategy', "algorithms lists 'none'", "list only the algorithms the issuer signs with: algorithms: ['RS256']");
      const jsonWebTokenOptions = optionNode(code, first, 'jsonWebTokenOptions');
      if (isTrue(option(code, jsonWebTokenOptions, 'ignoreExpiration'))) context.insecure('noExpiry', optionNode(code, jsonWebTokenOptions, 'ignoreExpiration')!, 'passport-jwt', 'new JwtStrategy', 'jsonWebTokenOptions.ignoreExpiration: true', 'remove ignoreExpiration');
      if (isTrue(option(code, jsonWebTokenOptions, 'ignoreNotBefore'))) context.insecure('noNotBefore', optionNode(code, jsonWebTokenOptions, 'ignoreNotBefore')!, 'passport-jwt', 'new JwtStrategy', 'jsonWebTokenOptions.ignoreNotBefore: true', 'remove ignoreNotBefore');
      const secret = optionNode(code, first, 'secretOrKey');
      if (secret) secretOf(context, secret, 'passport-jwt', 'JwtStrategy secretOrKey');
    }
    // new SignJWT(claims)….sign(key), new EncryptJWT(…)…: jose's builders take the key last.
    if (call.name === 'sign' && /^jose\.(SignJWT|CompactSign|FlattenedSign|GeneralSign)\b/.test(q) && first) secretOf(context, first, 'jose', 'SignJWT.sign');
  }
}
