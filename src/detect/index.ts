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

/** Runs every detector over a text, in order of position. Detectors find; they never judge. */
export function detectArtifacts(text: string): Artifact[] {
  if (!MARKERS.test(text)) return [];
  const artifacts: Artifact[] = [];
  if (text.includes('-----BEGIN ')) artifacts.push(...detectArmored(text));
  if (text.includes('PuTTY-User-Key-File-')) artifacts.push(...detectPpk(text));
  if (text.includes('kty')) artifacts.push(...detectJwk(text));
  if (text.includes('ssh-') || text.includes('ecdsa-sha2-')) artifacts.push(...detectSshPublic(text));
  if (text.includes('eyJ')) artifacts.push(...detectTokens(text));
  return artifacts.sort((a, b) => a.span.start - b.span.start);
}
