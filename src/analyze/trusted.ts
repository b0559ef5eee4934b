import { realpath } from 'node:fs/promises';
import { isInside } from '../sources/files.js';
import { INPUT_LIMITS, readRegularFile } from '../util/read-file.js';
import path from 'node:path';
import { UserError } from '../errors.js';
import { detectArtifacts } from '../detect/index.js';
import { analyzeKey } from './keys.js';
import { keySize } from './describe.js';

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

/** A key file the policy names, read: its text and repository path, or a UserError naming the policy entry. */
export async function readPolicyKeyFile(setting: string, index: number, entry: string, base: string): Promise<{ text: string; relative: string; where: string }> {
  const root = path.resolve(base);
  const where = `policy ${setting}[${index}] '${entry}'`;
  const file = path.resolve(root, entry);
  if (!isInside(root, file)) throw new UserError('ERR_TRUSTED_KEYS', `${where}: must be a path inside the repository`);
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    throw new UserError('ERR_TRUSTED_KEYS', `${where}: no such file in the repository`);
  }
  // Inside the repository once links are resolved: the policy comes with the code it judges, and may be hostile.
  if (!isInside(await realpath(root), real)) throw new UserError('ERR_TRUSTED_KEYS', `${where}: must be a path inside the repository, links resolved`);
  const text = readRegularFile(real, { maxBytes: INPUT_LIMITS.key, what: where, code: 'ERR_TRUSTED_KEYS' });
  return { text, relative: path.relative(root, file).split(path.sep).join('/'), where };
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
