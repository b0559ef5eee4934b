import { createLocalJWKSet, createRemoteJWKSet, type JWK, type JWTVerifyGetKey } from 'jose';
import { redactUrl } from '../util/url.js';
import { errorCode, errorKind, JwtGuardError } from '../errors.js';

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
