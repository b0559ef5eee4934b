import type { Artifact } from '../types.js';

/** A place where a detector could not finish its search, by offset in the text. */
export interface SearchGap {
  offset: number;
  detail: string;
}

export interface Detection {
  artifacts: Artifact[];
  /** Where the detector had to stop short: the text is hostile or too unusual to search in full. */
  gaps?: SearchGap[];
}

/**
 * A byte-level anchor for the reading pre-filter (src/sources/anchors.ts): a needle, the
 * bytes that must stand right before it, and the shape a small window around it must
 * have. The pre-filter's one pass looks for the needle's first two bytes (for a one-byte
 * needle, the lead's last byte and the needle), so those should be rare in ordinary text. A shape is a
 * superset of its detector's pattern and gives the benefit of the doubt where the window
 * is cut short by the end of the bytes (`$`): the pre-filter may let through what no
 * detector finds, never the other way round.
 */
export interface Anchor {
  needle: Buffer;
  /** Bytes that must stand right before the needle, checked before anything else. */
  lead?: Buffer;
  /** The window to test, in bytes before the needle's start and after its end. */
  before: number;
  after: number;
  shape: RegExp;
}

export const anchor = (text: string, before: number, after: number, shape: RegExp, lead?: string): Anchor => ({
  needle: Buffer.from(text, 'latin1'),
  before,
  after,
  shape,
  ...(lead ? { lead: Buffer.from(lead, 'latin1') } : {}),
});

/**
 * A detector owns what it looks for (trufflehog's `Keywords()`): the keywords a decoded
 * text must hold for it to run, the byte anchors the reading pre-filter is built from,
 * and the search itself. Detectors find; they never judge.
 */
export interface Detector {
  name: string;
  keywords: readonly string[];
  anchors: readonly Anchor[];
  detect(text: string): Detection;
}
