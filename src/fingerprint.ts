import { createHash } from 'node:crypto';

/**
 * A finding's fingerprint: stable across runs and line moves, built from the rule id,
 * the path and the artifact's own digest (a public-key thumbprint or a one-way digest),
 * never from the secret itself.
 */
export function fingerprint(ruleId: string, file: string, digest: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${digest}`).digest('hex').slice(0, 32);
}
