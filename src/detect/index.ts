import type { Artifact } from '../types.js';
import { detectArmored } from './pem.js';
import { detectPpk } from './ppk.js';
import { detectJwk, type SearchGap } from './jwk.js';
import { append } from '../util/arrays.js';
import { detectSshPublic } from './ssh-public.js';
import { detectTokens } from './jwt.js';

/**
 * The cheap pre-filter: a unit reaches the detectors only if it holds one of these
 * markers. Most files hold none, and one regex pass over them is all they cost.
 */
export const MARKERS = /-----BEGIN |PuTTY-User-Key-File-|kty|ssh-|ecdsa-sha2-|eyJ/;

export interface Detection {
  artifacts: Artifact[];
  /** Where a detector had to stop short on a hostile or unusual text. */
  gaps: SearchGap[];
}

/** Runs every detector over a text, in order of position. Detectors find; they never judge. */
export function detectArtifacts(text: string): Artifact[] {
  return detect(text).artifacts;
}

/** As detectArtifacts, also saying where a detector had to stop short on a hostile text. */
export function detect(text: string): Detection {
  if (!MARKERS.test(text)) return { artifacts: [], gaps: [] };
  const artifacts: Artifact[] = [];
  let gaps: SearchGap[] = [];
  if (text.includes('-----BEGIN ')) append(artifacts, detectArmored(text));
  if (text.includes('PuTTY-User-Key-File-')) append(artifacts, detectPpk(text));
  if (text.includes('kty')) {
    const jwk = detectJwk(text);
    append(artifacts, jwk.artifacts);
    gaps = jwk.gaps;
  }
  if (text.includes('ssh-') || text.includes('ecdsa-sha2-')) append(artifacts, detectSshPublic(text));
  if (text.includes('eyJ')) append(artifacts, detectTokens(text));
  artifacts.sort((a, b) => a.span.start - b.span.start);
  return { artifacts, gaps };
}
