import type { Artifact } from '../types.js';
import { detectArmored } from './pem.js';
import { detectPpk } from './ppk.js';
import { detectJwk } from './jwk.js';
import { detectSshPublic } from './ssh-public.js';
import { detectTokens } from './jwt.js';

/**
 * The cheap pre-filter: a unit reaches the detectors only if it holds one of these
 * markers. Most files hold none, and one regex pass over them is all they cost.
 */
export const MARKERS = /-----BEGIN |PuTTY-User-Key-File-|kty|ssh-|ecdsa-sha2-|eyJ/;

export interface Detection {
  artifacts: Artifact[];
  /** Why the search of this text stopped early, if it did. */
  incomplete?: string;
}

/** Runs every detector over a text, in order of position. Detectors find; they never judge. */
export function detectArtifacts(text: string): Artifact[] {
  return detect(text).artifacts;
}

/** As detectArtifacts, also saying when a detector had to stop early on a hostile text. */
export function detect(text: string): Detection {
  if (!MARKERS.test(text)) return { artifacts: [] };
  const artifacts: Artifact[] = [];
  let incomplete: string | undefined;
  if (text.includes('-----BEGIN ')) artifacts.push(...detectArmored(text));
  if (text.includes('PuTTY-User-Key-File-')) artifacts.push(...detectPpk(text));
  if (text.includes('kty')) {
    const jwk = detectJwk(text);
    artifacts.push(...jwk.artifacts);
    incomplete = jwk.incomplete;
  }
  if (text.includes('ssh-') || text.includes('ecdsa-sha2-')) artifacts.push(...detectSshPublic(text));
  if (text.includes('eyJ')) artifacts.push(...detectTokens(text));
  artifacts.sort((a, b) => a.span.start - b.span.start);
  return incomplete ? { artifacts, incomplete } : { artifacts };
}
