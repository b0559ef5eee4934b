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

/** Why no trusted key fits, and what to change: which kids the trusted keys have (a PEM's is its thumbprint), and where keys are listed. */
function noKeyMessage(header: { kid?: string | undefined; alg?: string | undefined }, sources: KeySources): string {
  const which = header.kid ? `kid '${String(header.kid).slice(0, 80)}'` : `no kid and alg ${header.alg}`;
  if (sources.local.length === 0 && sources.remote.length === 0) return `it is signed with ${which}, and the policy trusts no keys: list its public key in tokens.trustedKeys (a JWKS or PEM file) or its issuer's JWKS in tokens.jwksUrls`;
  const thumbprint = (kid: string) => /^[\w-]{43}$/.test(kid);
  // Thumbprints first: they are the kids a reader does not expect.
  const kids = sources.local.map((k) => k.kid).filter((kid): kid is string => typeof kid === 'string').sort((a, b) => Number(thumbprint(b)) - Number(thumbprint(a)));
  const shown = kids.slice(0, 3).map((kid) => `'${kid.slice(0, 60)}'`).join(', ');
  // A key from a PEM file or a certificate has no kid of its own: it was given its thumbprint, which a token's kid rarely is.
  const thumbprints = kids.some(thumbprint) ? ' (a key read from a PEM file or a certificate has its RFC 7638 thumbprint as kid: to match the token, put the key in a JWKS with the token\'s kid)' : '';
  const known = kids.length > 0 ? `; the ${kids.length === 1 ? 'trusted key has' : `${kids.length} trusted keys have`} kid ${shown}${kids.length > 3 ? ', …' : ''}${thumbprints}` : '';
  const places = [sources.local.length > 0 ? 'tokens.trustedKeys' : '', sources.remote.length > 0 ? 'the JWKS at tokens.jwksUrls' : ''].filter(Boolean).join(' or ');
  return `it is signed with ${which}, which no key in ${places} has${known}`;
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
    throw new NoTrustedKey(noKeyMessage(header, sources));
  };
}
