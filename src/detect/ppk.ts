import type { Artifact } from '../types.js';
import { unescapeBlock } from './armor.js';
import { anchor, type Detector } from './types.js';

const MARKER = /PuTTY-User-Key-File-([23]):[ \t]*([A-Za-z0-9@.-]+)/g;

/** Finds PuTTY private key files (PPK v2 and v3), whole or inside escaped strings. */
export function detectPpk(text: string): Artifact[] {
  const artifacts: Artifact[] = [];
  let nextMac = -2; // the next 'Private-MAC:' at or after the current marker, found once per stretch
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(text); match; match = MARKER.exec(text)) {
    const limit = Math.min(text.length, match.index + (64 << 10));
    if (nextMac !== -1 && nextMac < match.index) nextMac = text.indexOf('Private-MAC:', match.index);
    const macAt = nextMac;
    if (macAt === -1 || macAt > limit) continue;
    let stop = macAt;
    while (stop < limit && !'\r\n"\'\\'.includes(text[stop]!)) stop++;
    artifacts.push({ type: 'ppk', label: `PuTTY-User-Key-File-${match[1]}`, span: { start: match.index, end: stop }, raw: text.slice(match.index, stop), normalized: unescapeBlock(text.slice(match.index, stop)) });
    MARKER.lastIndex = stop;
  }
  return artifacts;
}

/** PuTTY key files: `PuTTY-User-Key-File-2:` and `-3:`. The anchor's needle is `-F` after `Key`: the pair of bytes the pre-filter looks for (`-F`) is rarer than any other in the line. */
export const ppkDetector: Detector = {
  name: 'ppk',
  keywords: ['PuTTY-User-Key-File-'],
  anchors: [anchor('-F', 14, 4, /^PuTTY-User-Key-File-/, 'Key')],
  detect: (text) => ({ artifacts: detectPpk(text) }),
};
