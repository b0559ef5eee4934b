import { calculateJwkThumbprint, compactVerify, importJWK, type JWK } from 'jose';
import picomatch from 'picomatch';
import { globbable } from '../sources/files.js';
import { loadPublicJwks } from './trusted.js';
import type { Policy } from '../policy/types.js';
import type { Facts } from '../types.js';

/**
 * Test material and production material (`files.fixtures`). A key or token found in a
 * fixture path is reported as a note, unless it is production material: a key whose
 * public half the policy trusts (`keys.trusted`, `tokens.trustedKeys`), or a token whose
 * `iss` is one of `tokens.issuers` and whose signature verifies against a trusted key.
 * Those keep their severity wherever they sit: a test directory is where a production
 * key does the most harm, because everyone expects only test keys there.
 */
export interface FixtureJudge {
  /** Whether a repository path is a fixture path. */
  isFixture(path: string): boolean;
  /** Whether what was found is production material (never a note, even in a fixture path). */
  isProduction(facts: Facts): Promise<boolean>;
}

interface ProductionKey {
  jwk: JWK;
  thumbprint: string;
}

/**
 * The judge for a policy, or undefined when it names no fixtures. Reads the trusted key
 * files of `keys.trusted` and `tokens.trustedKeys` (paths in the repository; a bad one is
 * a user error naming its entry).
 */
export async function loadFixtureJudge(policy: Policy, base: string): Promise<FixtureJudge | undefined> {
  if (policy.files.fixtures.length === 0) return undefined;
  const jwks = [...(await loadPublicJwks(policy.keys.trusted, base, 'keys.trusted', { lenient: true })), ...(await loadPublicJwks(policy.tokens.trustedKeys, base, 'tokens.trustedKeys'))];
  const keys: ProductionKey[] = [];
  for (const jwk of jwks) keys.push({ jwk, thumbprint: await calculateJwkThumbprint(jwk) });
  return fixtureJudge(policy, keys);
}

function fixtureJudge(policy: Policy, keys: readonly ProductionKey[]): FixtureJudge {
  const match = picomatch(policy.files.fixtures, { dot: true });
  const thumbprints = new Set(keys.map((k) => k.thumbprint));
  const issuers = new Set(policy.tokens.issuers);
  return {
    isFixture: (path) => match(globbable(path)),
    async isProduction(facts) {
      if (facts.kind === 'key') return facts.thumbprint !== undefined && thumbprints.has(facts.thumbprint);
      const iss = facts.claims?.iss;
      if (facts.format !== 'jws' || typeof iss !== 'string' || !issuers.has(iss)) return false;
      return verifiesWithAny(facts.token, facts.alg, facts.header.kid, keys);
    },
  };
}

/** Whether jose verifies the token's signature with one of the keys: those with the token's kid when any has it, else each key whose alg fits. */
async function verifiesWithAny(token: string, alg: string, kid: unknown, keys: readonly ProductionKey[]): Promise<boolean> {
  const candidates = typeof kid === 'string' && keys.some((k) => k.jwk.kid === kid) ? keys.filter((k) => k.jwk.kid === kid) : keys;
  for (const { jwk } of candidates) {
    if (jwk.alg && jwk.alg !== alg) continue;
    try {
      const key = await importJWK(jwk, alg);
      await compactVerify(token, key, { algorithms: [alg] });
      return true;
    } catch {
      // not this key (or not a key for this algorithm): try the next
    }
  }
  return false;
}
