import type { Artifact } from '../types.js';
import { append } from '../util/arrays.js';
import { jwkDetector } from './jwk.js';
import { tokenDetector } from './jwt.js';
import { armoredDetector } from './pem.js';
import { ppkDetector } from './ppk.js';
import { sshPublicDetector } from './ssh-public.js';
import { base64Detector } from './base64.js';
import { derDetector } from './der.js';
import type { Detector, SearchGap } from './types.js';

/** Base64-wrapped artifacts: the other detectors, run again on what a run decodes to. */
const encodedDetector = base64Detector((decoded, depth) => detectAtDepth(decoded, depth));

/** Every detector. Adding one: a module that exports a Detector (its keywords, anchors and search), and an entry here. */
export const DETECTORS: readonly Detector[] = [armoredDetector, ppkDetector, jwkDetector, sshPublicDetector, tokenDetector, derDetector, encodedDetector];

/** Every detector's keywords: a decoded text holding none of them cannot hold an artifact (the benchmark gives them to ripgrep). */
export const KEYWORDS: readonly string[] = DETECTORS.flatMap((detector) => detector.keywords);

export interface Detection {
  artifacts: Artifact[];
  /** Where a detector had to stop short on a hostile or unusual text. */
  gaps: SearchGap[];
}

/** Runs every detector over a text, in order of position. Detectors find; they never judge. */
export function detectArtifacts(text: string): Artifact[] {
  return detect(text).artifacts;
}

/** As detectArtifacts, also saying where a detector had to stop short on a hostile text. Each detector runs only on a text that holds one of its keywords. */
export function detect(text: string): Detection {
  return detectAtDepth(text, 0);
}

/** detect, at a level of base64 nesting (0: the text itself). */
function detectAtDepth(text: string, depth: number): Detection {
  const artifacts: Artifact[] = [];
  const gaps: SearchGap[] = [];
  for (const detector of DETECTORS) {
    if (!detector.keywords.some((keyword) => text.includes(keyword))) continue;
    const found = detector === encodedDetector ? encodedDetector.detectAt(text, depth) : detector.detect(text);
    append(artifacts, found.artifacts);
    if (found.gaps) append(gaps, found.gaps);
  }
  artifacts.sort((a, b) => a.span.start - b.span.start);
  return { artifacts: withoutBareBodies(artifacts), gaps };
}

/** A PEM block's body on one line is also bare DER to the DER detector: the block is what is reported. */
function withoutBareBodies(artifacts: Artifact[]): Artifact[] {
  if (!artifacts.some((artifact) => artifact.type === 'der')) return artifacts;
  return artifacts.filter((artifact) => artifact.type !== 'der' || !artifacts.some((other) => other !== artifact && other.type !== 'der' && other.span.start <= artifact.span.start && other.span.end >= artifact.span.end));
}
