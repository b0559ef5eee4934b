import { isoTime, bracketList, plural } from '../util/format.js';
import type { KeyFacts, TokenFacts } from '../types.js';

const ENCODING_NAMES: Record<KeyFacts['encoding'], string> = {
  pkcs1: 'PKCS#1 PEM',
  sec1: 'SEC1 PEM',
  pkcs8: 'PKCS#8 PEM',
  'pkcs8-encrypted': 'encrypted PKCS#8 PEM',
  'pem-encrypted': 'PEM with Proc-Type encryption',
  dsa: 'DSA PEM',
  openssh: 'OpenSSH format',
  ppk: 'PuTTY .ppk',
  pgp: 'OpenPGP private key block',
  jwk: 'JWK',
  'pkcs8-der': 'PKCS#8 DER, without PEM armour',
  'pkcs1-der': 'PKCS#1 DER, without PEM armour',
  'sec1-der': 'SEC1 DER, without PEM armour',
  pkcs12: 'PKCS#12 key store',
  jks: 'Java KeyStore (JKS)',
  jceks: 'Java JCEKS key store',
  spki: 'PEM public key',
  'pkcs1-public': 'PKCS#1 PEM public key',
  x509: 'X.509 certificate',
  'ssh-public': 'OpenSSH public key',
};

/** "RSA 2048-bit" / "EC P-256" / "Ed25519" / "oct 256-bit". */
export function keySize(facts: KeyFacts): string {
  if (facts.curve && facts.curve !== facts.keyType) return `${facts.keyType} ${facts.curve}`;
  if (facts.bits) return `${facts.keyType} ${facts.bits}-bit`;
  return facts.keyType;
}

/** One line of non-secret facts: type, size, encoding, protection, identity. Never key bytes. */
export function describeKey(facts: KeyFacts): string {
  const noun = facts.keyType === 'oct' ? 'symmetric key' : facts.private ? 'private key' : 'public key';
  const { store } = facts;
  const unknown = store && store.privateKeys === undefined ? 'Key store whose contents cannot be seen without its password' : `${noun[0]!.toUpperCase()}${noun.slice(1)} of unknown type`;
  const what = facts.keyType === 'unknown' ? unknown : facts.keyType === 'oct' && !facts.bits ? 'Symmetric key' : `${keySize(facts)} ${noun}`;
  const details = [ENCODING_NAMES[facts.encoding]];
  if (store) details.push(storeContents(store));
  if (facts.encrypted) details.push('encrypted');
  if (facts.thumbprint) details.push(`thumbprint ${facts.thumbprint}`);
  else if (facts.sshFingerprint) details.push(`fingerprint ${facts.sshFingerprint}`);
  else if (facts.pgpFingerprint) details.push(`fingerprint ${facts.pgpFingerprint}`);
  if (facts.kid) details.push(`kid '${facts.kid}'`);
  if (facts.alg) details.push(`alg ${facts.alg}`);
  if (facts.subject) details.push(`subject ${facts.subject}`);
  if (facts.unreadable) details.push(facts.unreadable);
  return `${what} (${details.join(', ')})`;
}

/** "2 private keys, 3 certificates", as far as a store's entries can be seen. */
function storeContents(store: NonNullable<KeyFacts['store']>): string {
  const parts: string[] = [];
  if (store.privateKeys !== undefined && (store.privateKeys > 0 || store.secretKeys === 0)) parts.push(plural(store.privateKeys, 'private key'));
  if (store.secretKeys > 0) parts.push(plural(store.secretKeys, 'secret key'));
  if (store.certificates > 0) parts.push(plural(store.certificates, 'certificate'));
  return parts.length > 0 ? `holding ${parts.join(', ')}` : 'its entries unseen';
}

const text = (value: unknown, max = 80) => (typeof value === 'string' ? (value.length > max ? `${value.slice(0, max)}…` : value) : undefined);
const time = (value: unknown) => (typeof value === 'number' ? isoTime(value) : undefined);

/**
 * The non-secret facts of a token, for messages and reports: header members that name
 * the algorithm and key, and the registered claims that say who issued it, for whom, and
 * when. Subjects and private claims are left out (they may be personal data).
 */
export function tokenSummary(facts: TokenFacts): Record<string, unknown> {
  let summary = summaries.get(facts);
  if (!summary) summaries.set(facts, (summary = summarize(facts)));
  return summary;
}

/** Each token's summary and description, made once: every rule that reports a token words it, and a file may hold thousands. */
const summaries = new WeakMap<TokenFacts, Record<string, unknown>>();
const descriptions = new WeakMap<TokenFacts, string>();

function summarize(facts: TokenFacts): Record<string, unknown> {
  const out: Record<string, unknown> = { format: facts.format, alg: text(facts.alg, 32), preview: facts.preview };
  const { header, claims } = facts;
  if (facts.enc) out.enc = text(facts.enc, 32);
  for (const name of ['typ', 'kid', 'cty']) if (text(header[name])) out[name] = text(header[name]);
  if (claims) {
    if (text(claims.iss)) out.iss = text(claims.iss);
    const aud = Array.isArray(claims.aud) ? claims.aud.map((a) => text(a)).filter(Boolean).slice(0, 5) : text(claims.aud);
    if (aud && (!Array.isArray(aud) || aud.length > 0)) out.aud = aud;
    for (const name of ['exp', 'iat', 'nbf']) if (time(claims[name])) out[name] = time(claims[name]);
  }
  return out;
}

/** "JWT (alg HS256, kid 'k1', iss 'https://id.example', aud 'api', exp 2026-11-24T10:00:00Z, eyJhbGciOiJI…)" */
export function describeToken(facts: TokenFacts): string {
  let description = descriptions.get(facts);
  if (description === undefined) descriptions.set(facts, (description = describe(facts)));
  return description;
}

function describe(facts: TokenFacts): string {
  const summary = tokenSummary(facts);
  const details: string[] = [`alg ${summary.alg}`];
  if (summary.enc) details.push(`enc ${summary.enc}`);
  if (summary.kid) details.push(`kid '${summary.kid}'`);
  if (summary.iss) details.push(`iss '${summary.iss}'`);
  if (summary.aud) details.push(`aud ${Array.isArray(summary.aud) ? bracketList(summary.aud as string[]) : `'${summary.aud}'`}`);
  if (summary.exp) details.push(`exp ${summary.exp}`);
  details.push(facts.preview);
  return `${facts.format === 'jwe' ? 'JWE' : 'JWT'} (${details.join(', ')})`;
}
