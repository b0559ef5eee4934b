import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, compactDecrypt, CompactEncrypt, decodeProtectedHeader, type JWK } from 'jose';
import { errorCode, UserError } from '../errors.js';

/** PBES2 iterations for keys jwt-guard encrypts: far above RFC 7518's minimum of 1000 (OWASP asks 210,000 for PBKDF2-HMAC-SHA512). */
export const PBES2_ITERATIONS = 210_000;
/** The most iterations a key blob may ask for when decrypting: a hostile p2c must not stall a deploy. */
const MAX_PBES2_ITERATIONS = 5_000_000;
/** Shortest passphrase jwt-guard will encrypt a key with. */
export const MIN_PASSPHRASE = 12;

const KEY_WRAP = 'PBES2-HS512+A256KW';
const CONTENT = 'A256GCM';

export type KeyForm = 'encrypted-pkcs8' | 'jwe' | 'plain-pem' | 'plain-jwk';

export interface SigningKey {
  privateKey: KeyObject;
  publicJwk: JWK;
  /** RFC 7638 thumbprint: the kid of every token minted with the key. */
  kid: string;
  form: KeyForm;
}

/** Whether node:crypto reads the PEM as an encrypted key that only lacks its passphrase. */
function isEncryptedKeyStructure(pem: string): boolean {
  try {
    createPrivateKey({ key: pem, format: 'pem' });
    return false;
  } catch (error) {
    const code = errorCode(error);
    return code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' || code === 'ERR_MISSING_PASSPHRASE';
  }
}

const isJwe = (text: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text);

/** One PEM block and nothing else: its label, and whether its headers say it is encrypted (Proc-Type: 4,ENCRYPTED). */
function onePemBlock(text: string): { label: string; procTypeEncrypted: boolean } | undefined {
  const match = /^-----BEGIN ([A-Z0-9][A-Z0-9 ]{0,38}[A-Z0-9])-----\r?\n([\s\S]*?)\r?\n-----END \1-----$/.exec(text);
  if (!match || match[2]!.includes('-----')) return undefined;
  return { label: match[1]!, procTypeEncrypted: /^Proc-Type:[ \t]*4,ENCRYPTED[ \t]*\r?$/m.test(match[2]!.split(/\r?\n\r?\n/)[0] ?? '') };
}

/** The smallest PBES2 iteration count accepted, as RFC 7518 4.8.1.2 recommends (our own insecure-header rule flags fewer). */
export const MIN_PBES2_ITERATIONS = 1000;

/** The key types jwt-guard mints with, and their algorithms: what jose signs with and a JWK (for the kid) can express. */
export const MINT_KEYS = 'RSA (RS256-RS512, PS256-PS512), EC P-256, P-384 or P-521 (ES256, ES384, ES512) and Ed25519 (EdDSA)';
const MINTABLE_TYPES = new Set(['rsa', 'ec', 'ed25519']);
const MINTABLE_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

/** Refuses a key type jwt-guard cannot mint with, saying which it can. */
function checkMintable(key: KeyObject): void {
  const type = key.asymmetricKeyType ?? 'unknown';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (MINTABLE_TYPES.has(type) && (type !== 'ec' || (curve && MINTABLE_CURVES.has(curve)))) return;
  const what = type === 'ec' ? `an EC key on ${curve ?? 'an unknown curve'}` : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type.toUpperCase()} key`;
  throw new UserError('ERR_MINT_KEY', `the signing key is ${what}, which jwt-guard does not mint with: it mints with ${MINT_KEYS} keys`);
}

/**
 * Opens a signing key that arrives from a secret. The blob must be exactly one encrypted
 * key object and nothing else: one PEM block of an encrypted type (encrypted PKCS#8, or a
 * legacy block with Proc-Type: 4,ENCRYPTED) opened by node:crypto with its passphrase, or
 * one compact JWE wrapping a private JWK under PBES2-HS512+A256KW/A256GCM (jose, with
 * explicit algorithm allowlists and a bounded PBES2 count). A plain key (one PEM block or
 * one JWK) is refused unless `allowPlainKey`. Every failure is a UserError that never
 * repeats the key or the passphrase.
 */
export async function openSigningKey(blob: string, passphrase: string | undefined, options: { allowPlainKey: boolean }): Promise<SigningKey> {
  const text = blob.trim();
  const pem = onePemBlock(text);
  let privateKey: KeyObject;
  let form: KeyForm;
  if (pem && (pem.label === 'ENCRYPTED PRIVATE KEY' || pem.procTypeEncrypted)) {
    // The structure must be an encrypted key: a plain key labelled or annotated as one does not open with any passphrase.
    if (!isEncryptedKeyStructure(text)) throw new UserError('ERR_MINT_KEY', 'the signing key says it is encrypted, but is not a readable encrypted key');
    if (!passphrase) throw new UserError('ERR_MINT_KEY', 'the signing key is encrypted and no passphrase was given');
    try {
      privateKey = createPrivateKey({ key: text, format: 'pem', passphrase });
    } catch {
      throw new UserError('ERR_MINT_KEY', 'the passphrase does not open the signing key');
    }
    form = 'encrypted-pkcs8';
  } else if (isJwe(text)) {
    if (!passphrase) throw new UserError('ERR_MINT_KEY', 'the signing key is an encrypted JWE and no passphrase was given');
    checkJweHeader(text);
    let plaintext: Uint8Array;
    try {
      ({ plaintext } = await compactDecrypt(text, new TextEncoder().encode(passphrase), {
        keyManagementAlgorithms: [KEY_WRAP],
        contentEncryptionAlgorithms: [CONTENT],
        maxPBES2Count: MAX_PBES2_ITERATIONS,
      }));
    } catch (error) {
      throw new UserError('ERR_MINT_KEY', errorCode(error) === 'ERR_JWE_DECRYPTION_FAILED' ? 'the passphrase does not open the signing key' : `the signing key is not a JWE jwt-guard accepts (${KEY_WRAP} with ${CONTENT})`);
    }
    try {
      privateKey = createPrivateKey({ key: JSON.parse(new TextDecoder().decode(plaintext)), format: 'jwk' });
    } catch {
      throw new UserError('ERR_MINT_KEY', 'the JWE opened, but does not hold a private JWK');
    }
    form = 'jwe';
  } else if (pem || text.startsWith('{')) {
    if (!options.allowPlainKey) {
      throw new UserError('ERR_MINT_KEY', 'the signing key is not encrypted: store it encrypted (jwt-guard encrypt-key), or set mint.allowPlainKey in the policy');
    }
    try {
      privateKey = pem ? createPrivateKey(text) : createPrivateKey({ key: JSON.parse(text), format: 'jwk' });
    } catch {
      throw new UserError('ERR_MINT_KEY', 'the signing key is not a readable PEM or JWK private key');
    }
    form = pem ? 'plain-pem' : 'plain-jwk';
  } else {
    throw new UserError('ERR_MINT_KEY', 'the signing key must be exactly one key and nothing else: one encrypted PEM block (jwt-guard encrypt-key --form pkcs8) or one compact JWE (jwt-guard encrypt-key)');
  }
  if (privateKey.type !== 'private') throw new UserError('ERR_MINT_KEY', 'the signing key is not a private key');
  checkMintable(privateKey);
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk);
  return { privateKey, publicJwk: { ...publicJwk, kid }, kid, form };
}

/** The JWE's protected header, judged before any key derivation: the algorithms jwt-guard writes, and a PBES2 count within bounds. */
function checkJweHeader(text: string): void {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(text) as Record<string, unknown>;
  } catch {
    throw new UserError('ERR_MINT_KEY', 'the signing key looks like a compact JWE, but its header does not decode');
  }
  if (header.alg !== KEY_WRAP || header.enc !== CONTENT) throw new UserError('ERR_MINT_KEY', `the signing key is not a JWE jwt-guard accepts (${KEY_WRAP} with ${CONTENT})`);
  const count = header.p2c;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < MIN_PBES2_ITERATIONS) {
    throw new UserError('ERR_MINT_KEY', `the signing key's PBES2 iteration count (p2c) is ${typeof count === 'number' ? count : 'missing'}, under the minimum of ${MIN_PBES2_ITERATIONS}: a passphrase so cheap to try protects nothing. Re-encrypt it with jwt-guard encrypt-key`);
  }
  if (count > MAX_PBES2_ITERATIONS) throw new UserError('ERR_MINT_KEY', `the signing key's PBES2 iteration count (p2c) is ${count}, over the ${MAX_PBES2_ITERATIONS} jwt-guard will spend on opening a key`);
}

function checkPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE) throw new UserError('ERR_PASSPHRASE', `the passphrase must be at least ${MIN_PASSPHRASE} characters`);
}

/** An encrypted PKCS#8 PEM (OpenSSL's PBES2: PBKDF2-HMAC-SHA256 with AES-256-CBC). */
export function encryptToPkcs8(privateKey: KeyObject, passphrase: string): string {
  checkPassphrase(passphrase);
  return privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
}

/** A compact JWE of the private JWK under PBES2-HS512+A256KW (210,000 iterations, random 16-byte salt) and A256GCM. */
export async function encryptToJwe(privateKey: KeyObject, passphrase: string): Promise<string> {
  checkPassphrase(passphrase);
  const jwk = privateKey.export({ format: 'jwk' });
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
    .setProtectedHeader({ alg: KEY_WRAP, enc: CONTENT, cty: 'jwk+json' })
    .setKeyManagementParameters({ p2c: PBES2_ITERATIONS, p2s: randomBytes(16) })
    .encrypt(new TextEncoder().encode(passphrase));
}
