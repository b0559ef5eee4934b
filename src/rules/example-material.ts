import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { signatureLengths } from '../jose/algorithms.js';

/**
 * Keys and tokens for the rules' examples, made when the examples run: the source never
 * holds one, so the repository scans clean. Nothing here is used by a scan.
 */

/** Seconds since the epoch, now. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export const ecKey = (curve = 'P-256'): KeyObject => generateKeyPairSync('ec', { namedCurve: curve }).privateKey;
export const rsaKey = (bits = 2048): KeyObject => generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;

export const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
export const encryptedPkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'an example passphrase' }) as string;
export const spki = (key: KeyObject) => createPublicKey(key).export({ type: 'spki', format: 'pem' }) as string;
export const jwk = (key: KeyObject) => key.export({ format: 'jwk' }) as Record<string, string>;
export const publicJwk = (key: KeyObject) => jwk(createPublicKey(key));

/** Claims of a well-formed, short-lived token. */
export const goodClaims = (over: JWTPayload = {}): JWTPayload => {
  const now = nowSeconds();
  return { iss: 'https://id.example.test', aud: 'api', sub: 'svc-example', iat: now - 60, exp: now + 600, jti: randomBytes(8).toString('hex'), ...over };
};

let signingKey: KeyObject | undefined;
/** The key example tokens are signed with, made once: verify examples trust its public half. */
export const exampleSigningKey = (): KeyObject => (signingKey ??= ecKey());

/** An ES256 token with the given claims and extra header members, signed with `key` (the example signing key by default). */
export const es256 = (claims: JWTPayload = goodClaims(), header: Record<string, unknown> = {}, key: KeyObject = exampleSigningKey()) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'example-key', ...header }).sign(key);

/** An HS256 token signed with `secret`. */
export const hs256 = (secret: string, claims: JWTPayload = goodClaims()) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A random signature as long as one `alg` makes (64 bytes for an algorithm jwt-guard does not know). */
function signatureFor(alg: unknown): Buffer {
  const lengths = typeof alg === 'string' ? signatureLengths(alg) : undefined;
  const bytes = !lengths ? 64 : 'min' in lengths ? 256 : lengths[0]!;
  return randomBytes(bytes);
}

/** A token with any header and claims and a random signature of the right length: for rules that judge the header or claims only. */
export const unsignedShape = (header: Record<string, unknown>, claims: JWTPayload = goodClaims()) => `${b64(header)}.${b64(claims)}.${signatureFor(header.alg).toString('base64url')}`;

/** A compact JWE with the given protected header and random parts of the sizes its enc takes: for rules that judge the header only. */
export const jweShape = (header: Record<string, unknown>) => {
  const gcm = typeof header.enc === 'string' && header.enc.endsWith('GCM');
  return [b64(header), '', randomBytes(gcm ? 12 : 16), randomBytes(48), randomBytes(16)].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
};
