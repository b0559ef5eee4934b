import type { Artifact } from '../types.js';

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
