/**
 * The code checks, pattern by pattern and language by language, each written from what the
 * library's own documentation says its API does: a positive that must be found (with the
 * message id a reader acts on) and a negative, the safe form of the same call, that must not.
 */
import { describe, expect, it } from '@jest/globals';
import { analyzeCode } from '../../src/code/index.js';
import fc from 'fast-check';
import { anyMarker, LANGUAGES, languageOf, mentionsJwtLibrary } from '../../src/code/languages.js';
import { hasMarker } from '../../src/sources/read.js';

type Case = [name: string, file: string, text: string, expected: string[]];

/** "rule:messageId" for each fact, in source order. */
async function found(file: string, text: string): Promise<string[]> {
  const analysis = await analyzeCode(file, text);
  expect(analysis.gap).toBeUndefined();
  return analysis.facts.sort((a, b) => a.start - b.start).map((f) => `${f.ruleId === 'insecure-verification' ? 'iv' : 'hs'}:${f.messageId}`);
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;
// Literal secrets in the examples are built here, so this file holds no call with one.
const S = (n = 16) => 'q7'.repeat(n / 2);

const JAVASCRIPT: Case[] = [
  ['jsonwebtoken: algorithms with none', 'a.js', lines("const jwt = require('jsonwebtoken');", "jwt.verify(t, process.env.K, { algorithms: ['RS256', 'none'] });"), ['iv:algorithmNone']],
  ['jsonwebtoken: a fixed algorithm list', 'a.js', lines("const jwt = require('jsonwebtoken');", "jwt.verify(t, process.env.K, { algorithms: ['RS256'] });"), []],
  ['jsonwebtoken: ignoreExpiration through a constant', 'a.ts', lines("import jwt from 'jsonwebtoken';", 'const OPTIONS = { ignoreExpiration: true };', 'export const check = (t: string) => jwt.verify(t, key, OPTIONS);'), ['iv:noExpiry']],
  ['jsonwebtoken: ignoreExpiration false', 'a.ts', lines("import jwt from 'jsonwebtoken';", 'export const check = (t: string) => jwt.verify(t, key, { ignoreExpiration: false });'), []],
  ['jsonwebtoken: ignoreNotBefore (named import)', 'a.mjs', lines("import { verify } from 'jsonwebtoken';", 'verify(t, key, { ignoreNotBefore: true }, (err, claims) => {});'), ['iv:noNotBefore']],
  ['jsonwebtoken: a callback in the options place', 'a.js', lines("const { verify } = require('jsonwebtoken');", 'verify(t, key, (err, claims) => {});'), []],
  ['jsonwebtoken: decode trusted where nothing verifies', 'a.js', lines("const jwt = require('jsonwebtoken');", 'function userOf(req) {', '  return jwt.decode(req.headers.authorization).sub;', '}'), ['iv:decodeTrusted']],
  ['jsonwebtoken: decode beside verify in the same function', 'a.js', lines("const jwt = require('jsonwebtoken');", 'function userOf(t) {', '  const { header } = jwt.decode(t, { complete: true });', '  return jwt.verify(t, keys[header.kid], { algorithms: ["ES256"] }).sub;', '}'), []],
  ['jsonwebtoken: sign with none', 'a.js', lines("const jwt = require('jsonwebtoken');", "jwt.sign(claims, null, { algorithm: 'none' });"), ['iv:algorithmNone']],
  ['jose: decodeJwt trusted where nothing verifies', 'a.ts', lines("import { decodeJwt } from 'jose';", 'export function roles(t: string) { return decodeJwt(t).roles; }'), ['iv:decodeTrusted']],
  ['jose: decodeJwt before jwtVerify in the same function', 'a.ts', lines("import * as jose from 'jose';", 'export async function roles(t: string) {', '  const { iss } = jose.decodeJwt(t);', '  return (await jose.jwtVerify(t, jwks[iss], { audience: "api" })).payload.roles;', '}'), []],
  ['jose: decodeProtectedHeader to pick a key', 'a.ts', lines("import { decodeProtectedHeader } from 'jose';", 'export const kidOf = (t: string) => decodeProtectedHeader(t).kid;'), []],
  ['jose: UnsecuredJWT.decode', 'a.ts', lines("import { UnsecuredJWT } from 'jose';", 'export const claims = (t: string) => UnsecuredJWT.decode(t).payload;'), ['iv:algorithmNone']],
  ['jwt-simple: noVerify', 'a.js', lines("const jwt = require('jwt-simple');", 'const claims = jwt.decode(token, key, true);'), ['iv:noSignature']],
  ['jwt-simple: verifying decode', 'a.js', lines("const jwt = require('jwt-simple');", 'const claims = jwt.decode(token, key);'), []],
  ['hardcoded: jwt-simple encode with a literal', 'a.js', lines("const jwt = require('jwt-simple');", `const t = jwt.encode(claims, '${S()}');`), ['hs:literal']],
  ['passport-jwt: secretOrKey from a literal', 'a.js', lines("const { Strategy } = require('passport-jwt');", `passport.use(new Strategy({ secretOrKey: '${S()}' }, verify));`), ['hs:literal']],
  ['express-jwt: none among the algorithms', 'a.js', lines("const { expressjwt } = require('express-jwt');", "app.use(expressjwt({ secret: process.env.K, algorithms: ['HS256', 'none'] }));"), ['iv:algorithmNone']],
  ['express-jwt: a fixed algorithm', 'a.js', lines("const { expressjwt } = require('express-jwt');", "app.use(expressjwt({ secret: process.env.K, algorithms: ['HS256'] }));"), []],
  ['passport-jwt: ignoreExpiration', 'a.js', lines("const JwtStrategy = require('passport-jwt').Strategy;", 'passport.use(new JwtStrategy({ secretOrKey: process.env.K, ignoreExpiration: true }, verify));'), ['iv:noExpiry']],
  ['passport-jwt: defaults', 'a.js', lines("const { Strategy } = require('passport-jwt');", 'passport.use(new Strategy({ secretOrKey: process.env.K }, verify));'), []],
  ['another library\'s verify with the same options', 'a.js', lines("const lib = require('some-signature-lib');", 'lib.verify(t, key, { ignoreExpiration: true });'), []],
  ['hardcoded: jsonwebtoken sign with a literal', 'a.js', lines("const jwt = require('jsonwebtoken');", `jwt.sign(claims, '${S()}');`), ['hs:literal']],
  ['hardcoded: through a constant, and a TextEncoder for jose', 'a.ts', lines("import { SignJWT, jwtVerify } from 'jose';", `const SECRET = new TextEncoder().encode('${S()}');`, "await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(SECRET);", 'await jwtVerify(t, SECRET);'), ['hs:literal']],
  ['hardcoded: from the environment', 'a.ts', lines("import { SignJWT } from 'jose';", 'const SECRET = new TextEncoder().encode(process.env.JWT_SECRET);', "await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(SECRET);"), []],
  ['hardcoded: a name given twice is not followed', 'a.js', lines("const jwt = require('jsonwebtoken');", `let secret = '${S()}';`, 'if (prod) secret = process.env.K;', 'jwt.sign(claims, secret);'), []],
  ['hardcoded: a parameter shadows a constant', 'a.js', lines("const jwt = require('jsonwebtoken');", `const secret = '${S()}';`, 'function sign(claims, secret) { return jwt.sign(claims, secret); }'), []],
  ['hardcoded: express-jwt secret', 'a.js', lines("const { expressjwt } = require('express-jwt');", `app.use(expressjwt({ secret: '${S()}', algorithms: ['HS256'] }));`), ['hs:literal']],
  ['hardcoded: a PEM public key is not a secret', 'a.js', lines("const jwt = require('jsonwebtoken');", "jwt.verify(t, '-----BEGIN PUBLIC KEY-----\\nMFkw...\\n-----END PUBLIC KEY-----', { algorithms: ['ES256'] });"), []],
];

const PYTHON: Case[] = [
  ['PyJWT: verify_signature off', 'a.py', lines('import jwt', 'claims = jwt.decode(t, options={"verify_signature": False})'), ['iv:noSignature']],
  ['PyJWT: options through a constant', 'a.py', lines('import jwt', 'OPTS = {"verify_exp": False, "verify_aud": False}', 'def f(t):', '    return jwt.decode(t, key, algorithms=["ES256"], options=OPTS)'), ['iv:noExpiry', 'iv:noAudience']],
  ['PyJWT: dict(...) options, nbf and iss', 'a.py', lines('import jwt', 'jwt.decode(t, key, algorithms=["ES256"], options=dict(verify_nbf=False, verify_iss=False))'), ['iv:noNotBefore', 'iv:noIssuer']],
  ['PyJWT: options that keep the checks', 'a.py', lines('import jwt', 'jwt.decode(t, key, algorithms=["ES256"], options={"verify_exp": True, "require": ["exp"]})'), []],
  ['PyJWT 1.x: verify=False', 'a.py', lines('import jwt', 'jwt.decode(t, verify=False)'), ['iv:noSignature']],
  ['PyJWT: none among the algorithms, through a constant', 'a.py', lines('import jwt', 'ALGS = ["HS256", "none"]', 'jwt.decode(t, key, algorithms=ALGS)'), ['iv:algorithmNone']],
  ["PyJWT: algorithms from the token's header", 'a.py', lines('import jwt', 'def f(t):', '    alg = jwt.get_unverified_header(t)["alg"]', '    return jwt.decode(t, key, algorithms=[jwt.get_unverified_header(t)["alg"]])'), ['iv:headerAlg']],
  ['PyJWT under another name', 'a.py', lines('import jwt as pyjwt', 'pyjwt.decode(t, options={"verify_signature": False})'), ['iv:noSignature']],
  ['python-jose: verify_aud off', 'a.py', lines('from jose import jwt', 'jwt.decode(t, key, algorithms=["RS256"], options={"verify_aud": False})'), ['iv:noAudience']],
  ['python-jose: get_unverified_claims trusted', 'a.py', lines('from jose import jwt', 'def user(t):', '    return jwt.get_unverified_claims(t)["sub"]'), ['iv:decodeTrusted']],
  ['python-jose: get_unverified_header to pick a key', 'a.py', lines('from jose import jwt', 'def kid(t):', '    return jwt.get_unverified_header(t)["kid"]'), []],
  ['authlib: decode without validate', 'a.py', lines('from authlib.jose import jwt', 'def user(t):', '    claims = jwt.decode(t, key)', '    return claims["sub"]'), ['iv:noClaims']],
  ['authlib: decode then validate', 'a.py', lines('from authlib.jose import jwt', 'def user(t):', '    claims = jwt.decode(t, key)', '    claims.validate()', '    return claims["sub"]'), []],
  ['authlib: JsonWebToken that allows none', 'a.py', lines('from authlib.jose import JsonWebToken', "jwt = JsonWebToken(['HS256', 'none'])"), ['iv:algorithmNone']],
  ['a decode of another library', 'a.py', lines('import base64', 'base64.decode(t, options={"verify_signature": False})'), []],
  ['hardcoded: PyJWT encode with a literal', 'a.py', lines('import jwt', `jwt.encode(payload, "${S()}", algorithm="HS256")`), ['hs:literal']],
  ['PyJWT: encode with none', 'a.py', lines('import jwt', 'jwt.encode(payload, None, algorithm="none")'), ['iv:algorithmNone']],
  ['PyJWT: encode with ES256', 'a.py', lines('import jwt', 'jwt.encode(payload, private_key, algorithm="ES256")'), []],
  ['hardcoded: through a module constant and .encode()', 'a.py', lines('import jwt', `SECRET = "${S()}".encode()`, 'def f(t):', '    return jwt.decode(t, SECRET, algorithms=["HS256"])'), ['hs:literal']],
  ['hardcoded: from the environment', 'a.py', lines('import jwt, os', 'SECRET = os.environ["JWT_SECRET"]', 'jwt.encode(payload, SECRET, algorithm="HS256")'), []],
  ['hardcoded: an SSH public key is not a secret', 'a.py', lines('import jwt', 'PUB = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPL1I9oiq"', 'jwt.decode(t, PUB, algorithms=["EdDSA"])'), []],
  ['hardcoded: an f-string is computed', 'a.py', lines('import jwt', 'jwt.encode(payload, f"{prefix}-key", algorithm="HS256")'), []],
];

const JAVA: Case[] = [
  ['java-jwt: JWT.decode where nothing verifies', 'A.java', lines('import com.auth0.jwt.JWT;', 'class A { String sub(String t) { return JWT.decode(t).getSubject(); } }'), ['iv:decodeTrusted']],
  ['java-jwt: JWT.decode beside verify', 'A.java', lines('import com.auth0.jwt.JWT;', 'class A { String sub(String t) { String kid = JWT.decode(t).getKeyId(); return JWT.require(alg(kid)).build().verify(t).getSubject(); } }'), []],
  ['java-jwt: Algorithm.none()', 'A.java', lines('import com.auth0.jwt.algorithms.Algorithm;', 'class A { Algorithm a = Algorithm.none(); }'), ['iv:algorithmNone']],
  ['java-jwt: Algorithm.ECDSA256', 'A.java', lines('import com.auth0.jwt.algorithms.Algorithm;', 'class A { Algorithm a = Algorithm.ECDSA256(publicKey, null); }'), []],
  ['jjwt: parseClaimsJwt', 'A.java', lines('import io.jsonwebtoken.Jwts;', 'class A { Object f(String t) { return Jwts.parser().setSigningKey(k).parseClaimsJwt(t).getBody(); } }'), ['iv:algorithmNone']],
  ['jjwt: parse without a key', 'A.java', lines('import io.jsonwebtoken.Jwts;', 'class A { Object f(String t) { return Jwts.parser().parse(t).getBody(); } }'), ['iv:noSignature']],
  ['jjwt 0.11: parserBuilder without a key', 'A.java', lines('import io.jsonwebtoken.Jwts;', 'class A { Object f(String t) { return Jwts.parserBuilder().build().parse(t); } }'), ['iv:noSignature']],
  ['jjwt 0.12: parser().build() refuses unsigned tokens by itself', 'A.java', lines('import io.jsonwebtoken.Jwts;', 'class A { Object f(String t) { return Jwts.parser().build().parse(t); } }'), []],
  ["jjwt: the JWK parser's parse", 'A.java', lines('import io.jsonwebtoken.security.Jwks;', 'import io.jsonwebtoken.Jwts;', 'class A { Object f(String json) { return Jwks.parser().build().parse(json); } }'), []],
  ['jjwt: parseSignedClaims with a key', 'A.java', lines('import io.jsonwebtoken.Jwts;', 'class A { Object f(String t) { return Jwts.parser().verifyWith(key).build().parseSignedClaims(t).getPayload(); } }'), []],
  ['jjwt: unsecured()', 'A.java', lines('import io.jsonwebtoken.Jwts;', 'class A { Object p = Jwts.parser().unsecured().build(); }'), ['iv:algorithmNone']],
  ['Nimbus: PlainJWT.parse', 'A.java', lines('import com.nimbusds.jwt.PlainJWT;', 'class A { Object f(String t) throws Exception { return PlainJWT.parse(t).getJWTClaimsSet(); } }'), ['iv:algorithmNone']],
  ['Nimbus: a JWSVerifier that accepts all', 'A.java', lines('import com.nimbusds.jose.*;', 'class A { JWSVerifier v = new JWSVerifier() { public boolean verify(JWSHeader h, byte[] in, Base64URL s) { return true; } }; }'), ['iv:noSignature']],
  ['Nimbus: ECDSAVerifier', 'A.java', lines('import com.nimbusds.jose.crypto.ECDSAVerifier;', 'class A { Object v = new ECDSAVerifier(publicKey); }'), []],
  ['Nimbus: a JWSVerifier that checks', 'A.java', lines('import com.nimbusds.jose.*;', 'class A { JWSVerifier v = new JWSVerifier() { public boolean verify(JWSHeader h, byte[] in, Base64URL s) { return inner.verify(h, in, s); } }; }'), []],
  ['Nimbus: new PlainJWT', 'A.java', lines('import com.nimbusds.jwt.PlainJWT;', 'class A { Object t = new PlainJWT(claims); }'), ['iv:algorithmNone']],
  ['hardcoded: Algorithm.HMAC256 through a constant', 'A.java', lines('import com.auth0.jwt.algorithms.Algorithm;', `class A { private static final String SECRET = "${S()}"; Algorithm a = Algorithm.HMAC256(SECRET); }`), ['hs:literal']],
  ['hardcoded: jjwt hmacShaKeyFor(getBytes())', 'A.java', lines('import io.jsonwebtoken.security.Keys;', `class A { Object k = Keys.hmacShaKeyFor("${S(32)}".getBytes()); }`), ['hs:literal']],
  ['hardcoded: from the environment', 'A.java', lines('import com.auth0.jwt.algorithms.Algorithm;', 'class A { Algorithm a = Algorithm.HMAC256(System.getenv("JWT_SECRET")); }'), []],
  ['hardcoded: Nimbus MACSigner', 'A.java', lines('import com.nimbusds.jose.crypto.MACSigner;', `class A { Object s = new MACSigner("${S(32)}"); }`), ['hs:literal']],
  ['hardcoded: Nimbus MACVerifier from a secret store', 'A.java', lines('import com.nimbusds.jose.crypto.MACVerifier;', 'class A { Object v = new MACVerifier(vault.read("jwt")); }'), []],
  ['hardcoded: jjwt signWith a literal', 'A.java', lines('import io.jsonwebtoken.Jwts;', `class A { String t = Jwts.builder().signWith(SignatureAlgorithm.HS256, "${S(32)}").compact(); }`), ['hs:literal']],
];

const GO: Case[] = [
  ['golang-jwt: ParseUnverified where nothing verifies', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', 'func sub(s string) { t, _, _ := jwt.NewParser().ParseUnverified(s, jwt.MapClaims{}); use(t) }'), ['iv:decodeTrusted']],
  ['golang-jwt: SigningMethodNone', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', 'func f() { jwt.NewWithClaims(jwt.SigningMethodNone, claims) }'), ['iv:algorithmNone']],
  ['golang-jwt: SigningMethodES256', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', 'func f() { jwt.NewWithClaims(jwt.SigningMethodES256, claims) }'), []],
  ['golang-jwt: ParseUnverified to read the kid before Parse', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', 'func f(s string) {', '	u, _, _ := jwt.NewParser().ParseUnverified(s, jwt.MapClaims{})', '	jwt.Parse(s, keys(u.Header["kid"]), jwt.WithValidMethods([]string{"ES256"}))', '}'), []],
  ['golang-jwt: UnsafeAllowNoneSignatureType', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', 'func f(s string) { jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return jwt.UnsafeAllowNoneSignatureType, nil }, jwt.WithValidMethods([]string{"none"})) }'), ['iv:algorithmNone']],
  ['golang-jwt: a Keyfunc that does not check the method', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', 'func f(s string) { jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return publicKey, nil }) }'), ['iv:headerAlg']],
  ['golang-jwt: a Keyfunc that checks the method', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', 'func f(s string) {', '\tjwt.Parse(s, func(t *jwt.Token) (interface{}, error) {', '\t\tif _, ok := t.Method.(*jwt.SigningMethodECDSA); !ok { return nil, errBad }', '\t\treturn publicKey, nil', '\t})', '}'), []],
  ['golang-jwt: WithValidMethods instead', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', 'func f(s string) { jwt.Parse(s, keyFunc, jwt.WithValidMethods([]string{"ES256"})) }', 'func keyFunc(t *jwt.Token) (interface{}, error) { return publicKey, nil }'), []],
  ['golang-jwt: a named Keyfunc that does not check', 'a.go', lines('package a', 'import jwtgo "github.com/dgrijalva/jwt-go"', 'func f(s string) { jwtgo.ParseWithClaims(s, &claims, keyFunc) }', 'func keyFunc(t *jwtgo.Token) (interface{}, error) { return publicKey, nil }'), ['iv:headerAlg']],
  ['golang-jwt: WithoutClaimsValidation', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', 'func f(s string) { p := jwt.NewParser(jwt.WithValidMethods([]string{"ES256"}), jwt.WithoutClaimsValidation()); p.Parse(s, keyFunc) }', 'func keyFunc(t *jwt.Token) (interface{}, error) { return publicKey, nil }'), ['iv:noClaims']],
  ['golang-jwt v4: Parser{SkipClaimsValidation: true}', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v4"', 'var p = &jwt.Parser{SkipClaimsValidation: true, ValidMethods: []string{"ES256"}}'), ['iv:noClaims']],
  ['go-jose: UnsafeClaimsWithoutVerification', 'a.go', lines('package a', 'import "github.com/go-jose/go-jose/v4/jwt"', 'func f(t *jwt.JSONWebToken) { t.UnsafeClaimsWithoutVerification(&out) }'), ['iv:decodeTrusted']],
  ['go-jose: Claims with a key', 'a.go', lines('package a', 'import "github.com/go-jose/go-jose/v4/jwt"', 'func f(t *jwt.JSONWebToken) { t.Claims(publicKey, &out) }'), []],
  ['a Parse of another package', 'a.go', lines('package a', 'import "net/url"', 'func f(s string) { url.Parse(s) }'), []],
  ['hardcoded: a Keyfunc returning []byte of a literal', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', `func f(s string) { jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return []byte("${S()}"), nil }, jwt.WithValidMethods([]string{"HS256"})) }`), ['hs:literal']],
  ['hardcoded: SignedString through a package variable', 'a.go', lines('package a', 'import "github.com/golang-jwt/jwt/v5"', `var secret = []byte("${S()}")`, 'func f() { jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret) }'), ['hs:literal']],
  ['hardcoded: from the environment', 'a.go', lines('package a', 'import ("os"; "github.com/golang-jwt/jwt/v5")', 'func f() { jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(os.Getenv("JWT_SECRET"))) }'), []],
];

const CSHARP: Case[] = [
  ['TokenValidationParameters: every switch off in an initializer', 'A.cs', lines('using Microsoft.IdentityModel.Tokens;', 'class A { TokenValidationParameters P() => new TokenValidationParameters {', '  ValidateLifetime = false, RequireExpirationTime = false, ValidateIssuer = false, ValidateAudience = false,', '  ValidateIssuerSigningKey = false, RequireSignedTokens = false }; }'), ['iv:noExpiry', 'iv:noExpiry', 'iv:noIssuer', 'iv:noAudience', 'iv:noKeyCheck', 'iv:noSignature']],
  ['TokenValidationParameters: the defaults kept', 'A.cs', lines('using Microsoft.IdentityModel.Tokens;', 'class A { TokenValidationParameters P() => new TokenValidationParameters { ValidateLifetime = true, ValidIssuer = "https://id.example", ValidAudience = "api" }; }'), []],
  ['TokenValidationParameters: set by assignment, through a constant', 'A.cs', lines('using Microsoft.IdentityModel.Tokens;', 'class A { const bool Check = false; void F(JwtBearerOptions o) { o.TokenValidationParameters.ValidateAudience = Check; } }'), ['iv:noAudience']],
  ['TokenValidationParameters: a SignatureValidator that checks nothing', 'A.cs', lines('using Microsoft.IdentityModel.Tokens;', 'using System.IdentityModel.Tokens.Jwt;', 'class A { void F(TokenValidationParameters p) { p.SignatureValidator = (token, parameters) => new JwtSecurityToken(token); } }'), ['iv:noSignature']],
  ['TokenValidationParameters: a SignatureValidator that validates', 'A.cs', lines('using Microsoft.IdentityModel.Tokens;', 'class A { void F(TokenValidationParameters p) { p.SignatureValidator = (token, parameters) => { var t = new JsonWebToken(token); Validate(t, parameters); return t; }; } }'), []],
  ['a property of the same name on something else, set true', 'A.cs', lines('using Microsoft.IdentityModel.Tokens;', 'class A { void F(Options o) { o.ValidateAudience = true; } }'), []],
  ['hardcoded: SymmetricSecurityKey from a literal', 'A.cs', lines('using Microsoft.IdentityModel.Tokens;', 'using System.Text;', `class A { SecurityKey K = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("${S(32)}")); }`), ['hs:literal']],
  ['hardcoded: from configuration', 'A.cs', lines('using Microsoft.IdentityModel.Tokens;', 'using System.Text;', 'class A { SecurityKey K(IConfiguration c) => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(c["Jwt:Key"])); }'), []],
];

const RUBY: Case[] = [
  ['ruby-jwt: verify false', 'a.rb', lines("require 'jwt'", 'payload, header = JWT.decode(token, nil, false)'), ['iv:noSignature']],
  ['ruby-jwt: algorithm none', 'a.rb', lines("require 'jwt'", "JWT.decode(token, key, true, { algorithm: 'none' })"), ['iv:algorithmNone']],
  ['ruby-jwt: keyword options, expiry and nbf off', 'a.rb', lines("require 'jwt'", "JWT.decode(token, key, true, algorithm: 'ES256', verify_expiration: false, verify_not_before: false)"), ['iv:noExpiry', 'iv:noNotBefore']],
  ['ruby-jwt: a verifying decode', 'a.rb', lines("require 'jwt'", "JWT.decode(token, key, true, { algorithm: 'ES256', iss: 'https://id.example', verify_iss: true })"), []],
  ['ruby-jwt: encode with none', 'a.rb', lines("require 'jwt'", "JWT.encode(payload, nil, 'none')"), ['iv:algorithmNone']],
  ['ruby-jwt: encode with ES256', 'a.rb', lines("require 'jwt'", "JWT.encode(payload, ecdsa_key, 'ES256')"), []],
  ['hardcoded: through a constant', 'a.rb', lines("require 'jwt'", `HMAC_SECRET = '${S()}'`, "JWT.encode(payload, HMAC_SECRET, 'HS256')"), ['hs:literal']],
  ['hardcoded: from ENV', 'a.rb', lines("require 'jwt'", "JWT.encode(payload, ENV.fetch('JWT_SECRET'), 'HS256')"), []],
];

for (const [language, cases] of [['JavaScript and TypeScript', JAVASCRIPT], ['Python', PYTHON], ['Java', JAVA], ['Go', GO], ['C#', CSHARP], ['Ruby', RUBY]] as const) {
  describe(`code checks: ${language}`, () => {
    it.each(cases)('%s', async (_name, file, text, expected) => {
      expect(await found(file, text)).toEqual(expected);
    });
  });
}

describe('the two pre-filters', () => {
  it("let through every file a language's module test accepts: the byte search never drops one the checks would read", () => {
    const all = [...JAVASCRIPT, ...PYTHON, ...JAVA, ...GO, ...CSHARP, ...RUBY];
    let accepted = 0;
    for (const [name, file, text] of all) {
      const language = languageOf(file)!;
      if (!language.uses.test(text)) continue;
      accepted++;
      expect({ name, bytes: mentionsJwtLibrary(Buffer.from(text), language) }).toEqual({ name, bytes: true });
      expect({ name, bytes: mentionsJwtLibrary(Buffer.from(text), language, hasMarker) }).toEqual({ name, bytes: true });
    }
    expect(accepted).toBeGreaterThan(all.length * 0.9);
  });

  it("the first look's one-pass marker search answers as a search for each marker", () => {
    const markers = [...new Set(LANGUAGES.flatMap((language) => language.markers.map((marker) => marker.toString('latin1'))))];
    fc.assert(
      fc.property(fc.constantFrom(...LANGUAGES), fc.array(fc.oneof(fc.constantFrom(...markers), fc.constantFrom(...markers).map((marker) => marker.slice(1)), fc.string({ maxLength: 30 })), { maxLength: 10 }), (language, pieces) => {
        const bytes = Buffer.from(pieces.join(''), 'latin1');
        expect(hasMarker(bytes, language)).toBe(anyMarker(bytes, language));
      }),
      { numRuns: 1000 },
    );
  });
});
