/** Tokens made at test time with jose, so the repository holds none. */
import { randomBytes } from 'node:crypto';
import { CompactEncrypt, SignJWT, type JWTPayload } from 'jose';
import { keyPair } from './keys.js';
import { unsignedShape } from '../../src/rules/example-material.js';

export const NOW = Math.floor(Date.now() / 1000);
const ec = () => keyPair({ type: 'ec', curve: 'P-256' }).privateKey;

export const goodClaims = (over: JWTPayload = {}): JWTPayload => ({
  iss: 'https://id.example.test',
  aud: 'api',
  sub: 'u_8f2c91',
  iat: NOW - 60,
  exp: NOW + 3600,
  jti: randomBytes(8).toString('hex'),
  ...over,
});

/** An ES256 JWT with the given claims and extra header members. */
export function es256(claims: JWTPayload = goodClaims(), header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'k-2026', ...header }).sign(ec());
}

/** An HMAC-signed JWT. */
export function hmac(secret: string | Uint8Array, claims: JWTPayload = goodClaims(), alg = 'HS256'): Promise<string> {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsecured JWT: header.payload. with an empty signature. */
export function unsecured(claims: JWTPayload = goodClaims(), alg = 'none'): string {
  return `${b64({ alg, typ: 'JWT' })}.${b64(claims)}.`;
}

/** A compact token with an arbitrary header and a random signature as long as its alg makes (for header-only rules). */
export function withHeader(header: Record<string, unknown>, claims: JWTPayload = goodClaims()): string {
  return unsignedShape(header, claims);
}

/** A five-part JWE (dir, A256GCM) made by jose. */
export function jwe(): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(goodClaims()))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(randomBytes(32));
}

/** An ES256 token whose text holds both '-' and '_' (base64url's own characters). */
export async function withDashAndUnderscore(): Promise<string> {
  for (;;) {
    const token = await es256(goodClaims({ nonce: randomBytes(24).toString('base64') }));
    if (token.includes('-') && token.includes('_')) return token;
  }
}
