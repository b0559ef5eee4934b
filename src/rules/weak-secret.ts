import { createHmac, timingSafeEqual } from 'node:crypto';
import { compactVerify } from 'jose';
import { describeToken } from '../analyze/describe.js';
import { secretSource, WELL_KNOWN_SECRETS } from './data/well-known-secrets.js';
import type { Rule, RuleReport } from './types.js';

const HASHES: Record<string, { hash: string; bytes: number }> = {
  HS256: { hash: 'sha256', bytes: 32 },
  HS384: { hash: 'sha384', bytes: 48 },
  HS512: { hash: 'sha512', bytes: 64 },
};

const encoded = WELL_KNOWN_SECRETS.map((secret) => ({ secret, bytes: Buffer.from(secret, 'utf8') }));

/**
 * The well-known secret an HS* token was signed with, if any. node:crypto's HMAC screens
 * the bundled list (a fixed number of candidates, so the time per token is bounded); the
 * one candidate that matches is then verified by jose, which alone decides.
 */
export async function findWellKnownSecret(token: string, alg: string): Promise<string | undefined> {
  const spec = HASHES[alg];
  const parts = token.split('.');
  if (!spec || parts.length !== 3 || !parts[2]) return undefined;
  const signature = Buffer.from(parts[2], 'base64url');
  if (signature.length !== spec.bytes) return undefined;
  const input = `${parts[0]}.${parts[1]}`;
  for (const { secret, bytes } of encoded) {
    const mac = createHmac(spec.hash, bytes).update(input).digest();
    if (!timingSafeEqual(mac, signature)) continue;
    try {
      await compactVerify(token, bytes, { algorithms: [alg] });
      return secret;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const weakSecret: Rule = {
  meta: {
    id: 'weak-secret',
    description: 'An HS256/384/512 token whose signature verifies with a well-known or short secret, tried offline from a bundled list.',
    defaultSeverity: 'error',
    securitySeverity: 9.0,
    help: [
      'An HMAC-signed token is only as strong as its secret. One signed with a well-known secret (`secret`, `your-256-bit-secret`, framework defaults, common passwords) or a secret shorter than its hash is forgeable by anyone: they can mint tokens with any claims.',
      '',
      'jwt-guard tries a bundled list of well-known secrets offline (see THIRD_PARTY_NOTICES.md for its sources); it never contacts anything, and never prints the secret.',
      '',
      '**What to do:** rotate the secret now to a random value at least as long as the hash (32 bytes for HS256, 48 for HS384, 64 for HS512), from a secret store; better, move to an asymmetric algorithm (ES256, EdDSA) so verifiers cannot sign.',
    ].join('\n'),
  },
  async check({ facts, budget }): Promise<RuleReport[]> {
    if (facts.kind !== 'token' || facts.format !== 'jws' || !HASHES[facts.alg]) return [];
    // Once per distinct token in the scan, within the budget; a token past it is counted as a gap.
    const secret = await budget.once('weak-secret', `weak-secret\0${facts.digest}`, () => findWellKnownSecret(facts.token, facts.alg), () => undefined);
    if (secret === undefined) return [];
    const spec = HASHES[facts.alg]!;
    const length = Buffer.byteLength(secret);
    const short = length < spec.bytes ? ` and only ${length} bytes long, shorter than the ${spec.bytes} ${facts.alg} needs` : '';
    return [{ message: `${describeToken(facts)} is signed with a well-known secret (${secretSource(secret)})${short}: anyone can forge tokens this verifier accepts. Rotate the secret to ${spec.bytes} random bytes from a secret store.` }];
  },
};
