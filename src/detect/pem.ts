import type { Artifact } from '../types.js';
import { withoutLinePrefix } from './literal.js';
import { anchor, type Detector } from './types.js';

const BEGIN = /-----BEGIN ([A-Z0-9][A-Z0-9 ]{0,38}[A-Z0-9])-----/g;

/** Labels of armored private keys: PEM, OpenSSH and PGP share the BEGIN/END form. */
export function isPrivateKeyLabel(label: string): boolean {
  return /PRIVATE KEY( BLOCK)?$/.test(label);
}

/** Labels of public keys and certificates, read for their key's strength. */
export const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE']);

function isKeyLabel(label: string): boolean {
  return isPrivateKeyLabel(label) || PUBLIC_LABELS.has(label);
}

/** How far past BEGIN the END marker may be (PGP blocks carry subkeys and can be large). */
function window(label: string): number {
  return label.startsWith('PGP ') ? 1 << 20 : 256 << 10;
}

/**
 * Finds complete BEGIN…END blocks of keys and certificates. A BEGIN without its END (a truncated
 * example) yields nothing; so does a block holding another BEGIN. The END search keeps,
 * per label, the next END position, so a file full of lone BEGIN lines stays linear.
 */
export function detectArmored(text: string): Artifact[] {
  const artifacts: Artifact[] = [];
  const nextEnd = new Map<string, number>();
  BEGIN.lastIndex = 0;
  for (let match = BEGIN.exec(text); match; match = BEGIN.exec(text)) {
    const label = match[1]!;
    if (!isKeyLabel(label)) continue;
    const endMarker = `-----END ${label}-----`;
    const from = match.index + match[0].length;
    let end = nextEnd.get(label);
    if (end === undefined || (end !== -1 && end < from)) {
      end = text.indexOf(endMarker, from);
      nextEnd.set(label, end);
    }
    if (end === -1 || end - from > window(label)) continue;
    const inner = text.slice(from, end);
    if (inner.includes('-----BEGIN ')) continue;
    const stop = end + endMarker.length;
    const type = label === 'OPENSSH PRIVATE KEY' ? 'openssh' : label.startsWith('PGP ') ? 'pgp' : 'pem';
    artifacts.push({ type, label, span: { start: match.index, end: stop }, raw: withoutLinePrefix(text.slice(text.lastIndexOf('\n', match.index) + 1, match.index), inner) });
    BEGIN.lastIndex = stop;
  }
  return artifacts;
}

/** PEM, OpenSSH and PGP armour: `-----BEGIN <label>-----`. */
export const armoredDetector: Detector = {
  name: 'armored',
  keywords: ['-----BEGIN '],
  anchors: [anchor('BEGIN', 5, 48, /^-----BEGIN [A-Z0-9 ]{2,40}(?:-|$)/)],
  detect: (text) => ({ artifacts: detectArmored(text) }),
};
