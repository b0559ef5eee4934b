import type { Artifact } from '../types.js';
import { anchor, type Detector } from './types.js';

/**
 * OpenSSH public keys as they stand in authorized_keys, known_hosts and `.pub` files:
 * a key type, then the base64 blob (which always starts with the type's length, `AAAA`).
 */
const SSH_PUBLIC = /\b(ssh-rsa|ssh-dss|ssh-ed25519|ssh-ed448|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)[ \t]+(AAAA[A-Za-z0-9+/]{20,8000}={0,2})/g;

export function detectSshPublic(text: string): Artifact[] {
  const artifacts: Artifact[] = [];
  SSH_PUBLIC.lastIndex = 0;
  for (let match = SSH_PUBLIC.exec(text); match; match = SSH_PUBLIC.exec(text)) {
    artifacts.push({ type: 'ssh-public', label: match[1]!, span: { start: match.index, end: match.index + match[0].length }, raw: match[2]! });
  }
  return artifacts;
}

/**
 * OpenSSH public key lines. The anchors are in the base64 of the blob's type, which every
 * key type shares: `zaC1` of `ssh-…` (`ssh-rsa AAAAB3NzaC1…`, `sk-ssh-ed25519@openssh.com
 * AAAAGnNrLXNzaC1…`) and `ZHNh` of `ecdsa…` (`ecdsa-sha2-nistp256 AAAAE2VjZHNh…`), each
 * with the 20 or more characters of blob the detector wants after `AAAA`. The first is
 * looked for by its `aC1` (the pre-filter looks for an anchor's first two bytes, and `za`
 * is common in text).
 */
export const sshPublicDetector: Detector = {
  name: 'ssh-public',
  keywords: ['ssh-', 'ecdsa-sha2-'],
  anchors: [
    anchor('aC1', 13, 13, /[ \t]AAAA[A-Za-z0-9+/]{0,6}NzaC1(?:[A-Za-z0-9+/]{13}|[A-Za-z0-9+/]*$)/),
    anchor('ZHNh', 13, 12, /[ \t]AAAA[A-Za-z0-9+/]{0,8}ZHNh(?:[A-Za-z0-9+/]{12}|[A-Za-z0-9+/]*$)/),
  ],
  detect: (text) => ({ artifacts: detectSshPublic(text) }),
};
