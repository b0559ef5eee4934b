import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, createRemoteJWKSet, type JWK, type JWTVerifyGetKey } from 'jose';
import { noKeysIn, readPolicyKeyFile } from '../analyze/trusted.js';
import { detectArtifacts } from '../detect/index.js';
import { publicKeyFromPem } from '../analyze/keys.js';
import type { Artifact } from '../types.js';
import { redactUrl } from '../util/url.js';
import { errorCode, errorKind, JwtGuardError } from '../errors.js';

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
 * The public JWKs in the policy's tokens.trustedKeys files. Keys without a kid get their
 * RFC 7638 thumbprint as kid (the convention jwt-guard mint follows).
 */
export async function loadVerificationKeys(paths: string[], base: string): Promise<JWK[]> {
  const keys: JWK[] = [];
  for (const [index, entry] of paths.entries()) {
    const { text, where } = await readPolicyKeyFile('tokens.trustedKeys', index, entry, base);
    const before = keys.length;
    for (const artifact of detectArtifacts(text)) {
      const found = publicKeyOf(artifact);
      if (!found) continue;
      const jwk = found.key.export({ format: 'jwk' }) as JWK;
      jwk.kid = found.kid ?? (await calculateJwkThumbprint(jwk));
      if (found.alg) jwk.alg = found.alg;
      keys.push(jwk);
    }
    if (keys.length === before) throw noKeysIn(where);
  }
  return keys;
}

export interface KeySources {
  /** Keys from tokens.trustedKeys. */
  local: JWK[];
  /** tokens.jwksUrls: the only URLs ever fetched. */
  remote: string[];
  /** A shared secret for HS* tokens, given by the user through a secret, never a file in the repository. */
  hmacSecret?: Uint8Array;
}

/** Why no key could be found for a token, in words a person can act on. */
export class NoTrustedKey extends JwtGuardError {
  constructor(message: string) {
    super('ERR_NO_TRUSTED_KEY', message);
  }
}

/**
 * jose's key resolver over the trusted sources: the local keys first, then each allowed
 * JWKS URL. A token's own jku, x5u, jwk or x5c is never consulted.
 */
export function keyResolver(sources: KeySources): JWTVerifyGetKey {
  const local = sources.local.length > 0 ? createLocalJWKSet({ keys: sources.local }) : undefined;
  // The URLs were checked when the policy was loaded (resolvePolicy): each parses.
  const remotes = sources.remote.map((url) => ({ url, get: createRemoteJWKSet(new URL(url), { timeoutDuration: 10_000, cooldownDuration: 0 }) }));
  return async (header, token) => {
    if (header.alg?.startsWith('HS')) {
      if (!sources.hmacSecret) throw new NoTrustedKey(`it is signed with ${header.alg}, and no HMAC secret was given to check it with`);
      return sources.hmacSecret;
    }
    const noMatch = (error: unknown) => errorCode(error) === 'ERR_JWKS_NO_MATCHING_KEY';
    if (local) {
      try {
        return await local(header, token);
      } catch (error) {
        if (!noMatch(error)) throw error;
      }
    }
    for (const remote of remotes) {
      try {
        return await remote.get(header, token);
      } catch (error) {
        if (noMatch(error)) continue;
        throw new NoTrustedKey(`the JWKS at ${redactUrl(remote.url)} could not be read (${errorKind(error)})`);
      }
    }
    const which = header.kid ? `kid '${String(header.kid).slice(0, 80)}'` : `no kid and alg ${header.alg}`;
    throw new NoTrustedKey(`it is signed with ${which}, which no trusted key has`);
  };
}
