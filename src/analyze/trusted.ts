import { createPublicKey, type KeyObject } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { isInside } from '../sources/files.js';
import { INPUT_LIMITS, readRegularFile } from '../util/read-file.js';
import path from 'node:path';
import { UserError, type ErrorCode } from '../errors.js';
import { detectArtifacts } from '../detect/index.js';
import { analyzeKey, publicKeyFromPem } from './keys.js';
import { keySize } from './describe.js';
import type { Artifact } from '../types.js';

/** A production key named by the policy's `keys.trusted`. */
export interface TrustedKey {
  thumbprint: string;
  /** Repository path of the file that lists it. */
  file: string;
  kid?: string;
  /** "EC P-256" and the like. */
  description: string;
}

export type TrustedKeys = ReadonlyMap<string, TrustedKey>;

/**
 * A file a policy setting names (`keys.trusted`, `tokens.trustedKeys`, `baseline`): a path
 * inside the repository, links resolved, that exists. The policy comes with the code it
 * judges, and may be hostile. A UserError (with `code`) names the entry otherwise.
 */
export async function policyFile(where: string, entry: string, base: string, code: ErrorCode, missing = 'no such file in the repository'): Promise<{ file: string; real: string; relative: string }> {
  const root = path.resolve(base);
  const file = path.resolve(root, entry);
  if (!isInside(root, file)) throw new UserError(code, `${where}: must be a path inside the repository`);
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    throw new UserError(code, `${where}: ${missing}`);
  }
  if (!isInside(await realpath(root), real)) throw new UserError(code, `${where}: must be a path inside the repository, links resolved`);
  return { file, real, relative: path.relative(root, file).split(path.sep).join('/') };
}

/** A key file the policy names, read: its text and repository path, or a UserError naming the policy entry. */
export async function readPolicyKeyFile(setting: string, index: number, entry: string, base: string): Promise<{ text: string; relative: string; where: string }> {
  const where = `policy ${setting}[${index}] '${entry}'`;
  const { real, relative } = await policyFile(where, entry, base, 'ERR_TRUSTED_KEYS');
  const text = readRegularFile(real, { maxBytes: INPUT_LIMITS.key, what: where, code: 'ERR_TRUSTED_KEYS' });
  return { text, relative, where };
}

/** The user error for a named key file that holds no key jwt-guard can read. */
export const noKeysIn = (where: string) =>
  new UserError('ERR_TRUSTED_KEYS', `${where}: holds no public key jwt-guard can read (expected a JWKS, a JWK, PEM public keys or certificates)`);

/**
 * Reads the policy's trusted key files (JWKS, PEM public keys, certificates) and indexes
 * their keys by RFC 7638 thumbprint. A path outside the repository, a missing file or a
 * file with no readable key is a user error that names the policy entry.
 */
export async function loadTrustedKeys(paths: string[], base: string): Promise<TrustedKeys> {
  const keys = new Map<string, TrustedKey>();
  for (const [index, entry] of paths.entries()) {
    const { text, relative, where } = await readPolicyKeyFile('keys.trusted', index, entry, base);
    let found = 0;
    for (const artifact of detectArtifacts(text)) {
      const facts = await analyzeKey(artifact);
      if (!facts?.thumbprint || facts.thumbprintKind !== 'jwk-sha256') continue;
      found++;
      keys.set(facts.thumbprint, { thumbprint: facts.thumbprint, file: relative, ...(facts.kid ? { kid: facts.kid } : {}), description: keySize(facts) });
    }
    if (found === 0) throw noKeysIn(where);
  }
  return keys;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The public key an artifact holds (JWK, PEM public key, certificate), or undefined. Never a secret. */
function publicKeyOf(artifact: Artifact): { key: KeyObject; kid?: string; alg?: string } | undefined {
  try {
    if (artifact.type === 'jwk' && artifact.json && artifact.json.kty !== 'oct') {
      const members = Object.fromEntries(Object.entries(artifact.json).filter(([name, value]) => typeof value === 'string' && !PRIVATE_MEMBERS.includes(name)));
      const key = createPublicKey({ key: members, format: 'jwk' });
      return { key, ...(typeof members.kid === 'string' ? { kid: members.kid } : {}), ...(typeof members.alg === 'string' ? { alg: members.alg } : {}) };
    }
    if (artifact.type === 'pem' && (artifact.label === 'PUBLIC KEY' || artifact.label === 'RSA PUBLIC KEY' || artifact.label === 'CERTIFICATE')) {
      const found = publicKeyFromPem(artifact.label, artifact.raw);
      return found && { key: found.key };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * The public keys (as JWKs) in key files a policy setting names: `tokens.trustedKeys`, or
 * `keys.trusted` when judging fixtures. Keys without a kid get their RFC 7638 thumbprint as
 * kid (the convention jwt-guard mint follows). A file with none is a user error, unless
 * `lenient` (keys.trusted may also list keys jwt-guard only fingerprints, such as SSH keys,
 * and loadTrustedKeys has already judged those files).
 */
export async function loadPublicJwks(paths: string[], base: string, setting: 'tokens.trustedKeys' | 'keys.trusted', options: { lenient?: boolean } = {}): Promise<JWK[]> {
  const keys: JWK[] = [];
  for (const [index, entry] of paths.entries()) {
    const { text, where } = await readPolicyKeyFile(setting, index, entry, base);
    const before = keys.length;
    for (const artifact of detectArtifacts(text)) {
      const found = publicKeyOf(artifact);
      if (!found) continue;
      const jwk = found.key.export({ format: 'jwk' }) as JWK;
      jwk.kid = found.kid ?? (await calculateJwkThumbprint(jwk));
      if (found.alg) jwk.alg = found.alg;
      keys.push(jwk);
    }
    if (keys.length === before && !options.lenient) throw noKeysIn(where);
  }
  return keys;
}
