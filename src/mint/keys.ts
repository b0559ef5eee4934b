import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, compactDecrypt, CompactEncrypt, type JWK } from 'jose';
import { UserError } from '../errors.js';

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
    const code = (error as { code?: string }).code;
    return code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' || code === 'ERR_MISSING_PASSPHRASE';
  }
}

const isJwe = (text: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text);

/**
 * Opens a signing key that arrives from a secret: an encrypted PKCS#8 PEM with its
 * passphrase (node:crypto), or a compact JWE wrapping a private JWK under
 * PBES2-HS512+A256KW/A256GCM with its password (jose, with explicit algorithm
 * allowlists). A plain key is refused unless `allowPlainKey`. Every failure is a
 * UserError that never repeats the key or the passphrase.
 */
export async function openSigningKey(blob: string, passphrase: string | undefined, options: { allowPlainKey: boolean }): Promise<SigningKey> {
  const text = blob.trim();
  let privateKey: KeyObject;
  let form: KeyForm;
  if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,ENCRYPTED/.test(text)) {
    if (!passphrase) throw new UserError('ERR_MINT_KEY', 'the signing key is encrypted and no passphrase was given');
    try {
      privateKey = createPrivateKey({ key: text, format: 'pem', passphrase });
    } catch {
      // A wrong passphrase usually fails the padding check ("bad decrypt"), but one time in
      // 256 the padding looks right and the DER fails instead: so ask whether the blob is a
      // well-formed encrypted key at all, which needs no passphrase to tell.
      throw new UserError('ERR_MINT_KEY', isEncryptedKeyStructure(text) ? 'the passphrase does not open the signing key' : 'the signing key is not a readable encrypted PKCS#8 PEM');
    }
    form = 'encrypted-pkcs8';
  } else if (isJwe(text)) {
    if (!passphrase) throw new UserError('ERR_MINT_KEY', 'the signing key is an encrypted JWE and no passphrase was given');
    let plaintext: Uint8Array;
    try {
      ({ plaintext } = await compactDecrypt(text, new TextEncoder().encode(passphrase), {
        keyManagementAlgorithms: [KEY_WRAP],
        contentEncryptionAlgorithms: [CONTENT],
        maxPBES2Count: MAX_PBES2_ITERATIONS,
      }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new UserError('ERR_MINT_KEY', code === 'ERR_JWE_DECRYPTION_FAILED' ? 'the passphrase does not open the signing key' : `the signing key is not a JWE jwt-guard accepts (${KEY_WRAP} with ${CONTENT}): ${(error as Error).message}`);
    }
    try {
      privateKey = createPrivateKey({ key: JSON.parse(new TextDecoder().decode(plaintext)), format: 'jwk' });
    } catch {
      throw new UserError('ERR_MINT_KEY', 'the JWE opened, but does not hold a private JWK');
    }
    form = 'jwe';
  } else {
    if (!options.allowPlainKey) {
      throw new UserError('ERR_MINT_KEY', 'the signing key is not encrypted: store it encrypted (jwt-guard encrypt-key), or set mint.allowPlainKey in the policy');
    }
    try {
      privateKey = text.startsWith('{') ? createPrivateKey({ key: JSON.parse(text), format: 'jwk' }) : createPrivateKey(text);
    } catch {
      throw new UserError('ERR_MINT_KEY', 'the signing key is not a readable PEM or JWK private key');
    }
    form = text.startsWith('{') ? 'plain-jwk' : 'plain-pem';
  }
  if (privateKey.type !== 'private') throw new UserError('ERR_MINT_KEY', 'the signing key is not a private key');
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk);
  return { privateKey, publicJwk: { ...publicJwk, kid }, kid, form };
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
