import { createHash, createPrivateKey, createPublicKey, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ContentError, errorCode } from '../errors.js';
import type { Artifact, KeyEncoding, KeyFacts } from '../types.js';
import { cleanArmorBody, quotedContent, toPem, type ArmorBody } from '../detect/armor.js';
import { describeKeyObject, parseSshPublicKey, postQuantumType, publicKeyFromJwk, type PublicKeyFacts } from './public-key.js';
import { parsePgpSecretKey } from './pgp.js';
import { WireReader } from './wire.js';
import { openKeyStore } from './keystore.js';
import { akpSizesMatch, postQuantumAlgorithm } from './post-quantum.js';
import { symmetricKeyDigest } from './symmetric.js';
import { DER_ENCODINGS, derKindOf } from '../detect/der.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** node:crypto's answer to an encrypted key offered without a passphrase: structure read, secret withheld. */
const NEEDS_PASSPHRASE = new Set(['ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED', 'ERR_MISSING_PASSPHRASE']);

/** A full-size body that no parser accepts is still reported, with lower confidence. */
const UNCONFIRMED_MIN_BASE64 = 256;

const PEM_ENCODINGS: Record<string, { encoding: KeyEncoding; keyType: string }> = {
  'RSA PRIVATE KEY': { encoding: 'pkcs1', keyType: 'RSA' },
  'EC PRIVATE KEY': { encoding: 'sec1', keyType: 'EC' },
  'DSA PRIVATE KEY': { encoding: 'dsa', keyType: 'DSA' },
  'PRIVATE KEY': { encoding: 'pkcs8', keyType: 'unknown' },
  'ENCRYPTED PRIVATE KEY': { encoding: 'pkcs8-encrypted', keyType: 'unknown' },
};

/** Turns a key artifact into facts, confirming it with node:crypto; undefined when it is not a key. */
export async function analyzeKey(artifact: Artifact): Promise<KeyFacts | undefined> {
  try {
    switch (artifact.type) {
      case 'pem':
        return await analyzePem(artifact);
      case 'openssh':
        return await withBody(artifact, analyzeOpenSsh);
      case 'pgp':
        return await withBody(artifact, analyzePgp, { pgp: true });
      case 'ppk':
        return await analyzePpk(artifact.normalized ?? artifact.raw);
      case 'jwk':
        return artifact.json ? await analyzeJwk(artifact.json) : undefined;
      case 'der':
        return await analyzeDer(artifact);
      case 'ssh-public': {
        const ssh = await parseSshPublicKey(Buffer.from(artifact.raw, 'base64'));
        return { kind: 'key', private: false, ...ssh.facts, encrypted: false, encoding: 'ssh-public', confirmed: ssh.confirmed, sshFingerprint: ssh.sshFingerprint, digest: ssh.facts.thumbprint ?? ssh.sshFingerprint };
      }
    }
  } catch (error) {
    if (isContentError(error)) return undefined;
    throw error;
  }
}

/**
 * Errors that mean "this content is not a readable key", as opposed to a bug: our own
 * ContentError (ERR_MALFORMED), and node:crypto's documented codes for input it cannot
 * read (OpenSSL decoder errors, ERR_CRYPTO_*, invalid JWK members). Matched by code, not
 * instanceof (node's errors come from another realm under test VMs), and never by class:
 * a TypeError or RangeError without one of these codes is a bug, and surfaces as an
 * analysis-failed gap instead of hiding a key.
 */
const CONTENT_CODE = /^(ERR_MALFORMED|ERR_OSSL_[A-Z0-9_]+|ERR_CRYPTO_[A-Z0-9_]+|ERR_INVALID_ARG_(TYPE|VALUE)|ERR_OUT_OF_RANGE)$/;

function isContentError(error: unknown): boolean {
  return CONTENT_CODE.test(errorCode(error) ?? '');
}

/** The ways a body may be recovered: as written, then only the quoted parts of concatenated source strings. */
function bodies(raw: string, options: { pgp?: boolean } = {}): ArmorBody[] {
  const out: ArmorBody[] = [];
  const direct = cleanArmorBody(raw, options);
  if (direct) out.push(direct);
  if (/["'`]/.test(raw)) {
    const quoted = cleanArmorBody(quotedContent(raw), options);
    if (quoted && quoted.base64 !== direct?.base64) out.push(quoted);
  }
  return out;
}

async function withBody(artifact: Artifact, analyze: (data: Buffer) => Promise<KeyFacts>, options: { pgp?: boolean } = {}): Promise<KeyFacts | undefined> {
  const candidates = bodies(artifact.raw, options);
  for (const body of candidates) {
    try {
      return await analyze(Buffer.from(body.base64, 'base64'));
    } catch (error) {
      if (!isContentError(error)) throw error;
    }
  }
  if (artifact.type === 'openssh' && candidates.every((body) => !Buffer.from(body.base64, 'base64').subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC))) return undefined;
  return unconfirmed(candidates[0], artifact.type === 'pgp' ? 'pgp' : 'openssh', 'unknown');
}

function unconfirmed(body: ArmorBody | undefined, encoding: KeyEncoding, keyType: string): KeyFacts | undefined {
  if (!body || body.base64.length < UNCONFIRMED_MIN_BASE64) return undefined;
  // Key material is random: a body of few distinct bytes is filler, not a damaged key,
  // and one with EXAMPLE spliced in is a documentation sample (AWS's convention).
  if (new Set(Buffer.from(body.base64, 'base64')).size < 64 || /EXAMPLE/i.test(body.base64)) return undefined;
  return { kind: 'key', private: true, keyType, encrypted: false, encoding, confirmed: false, digest: sha256(body.base64) };
}

function fromPublic(facts: PublicKeyFacts, rest: Omit<KeyFacts, 'kind' | 'private' | 'keyType' | 'digest'> & { digest?: string }): KeyFacts {
  return { kind: 'key', private: true, ...facts, ...rest, digest: rest.digest ?? facts.thumbprint ?? '' };
}

const PUBLIC_ENCODINGS: Record<string, KeyEncoding> = { 'PUBLIC KEY': 'spki', 'RSA PUBLIC KEY': 'pkcs1-public', CERTIFICATE: 'x509' };

/**
 * The key of a PEM public key or certificate, read by node:crypto from the block as it
 * is written (plain, escaped, or quoted and concatenated); undefined when none reads.
 */
export function publicKeyFromPem(label: string, raw: string): { key: KeyObject; body: ArmorBody; subject?: string; issuer?: string } | undefined {
  for (const body of bodies(raw)) {
    try {
      const pem = toPem(label, body);
      if (label === 'CERTIFICATE') {
        const certificate = new X509Certificate(pem);
        const name = (value: string) => value.replace(/\n/g, ', ').slice(0, 200);
        return { key: certificate.publicKey, body, subject: name(certificate.subject), issuer: name(certificate.issuer) };
      }
      return { key: createPublicKey(pem), body };
    } catch (error) {
      if (!isContentError(error)) throw error;
    }
  }
  return undefined;
}

/** A public key or a certificate's subject key: read by node:crypto, never reported as private. */
async function analyzePublicPem(label: string, encoding: KeyEncoding, raw: string): Promise<KeyFacts | undefined> {
  const found = publicKeyFromPem(label, raw);
  if (!found) return undefined;
  const facts = await describeKeyObject(found.key);
  return { kind: 'key', private: false, ...facts, encrypted: false, encoding, confirmed: true, digest: facts.thumbprint ?? sha256(found.body.base64), ...(found.subject ? { subject: found.subject } : {}), ...(found.issuer ? { issuer: found.issuer } : {}) };
}

async function analyzePem(artifact: Artifact): Promise<KeyFacts | undefined> {
  const label = artifact.label!;
  const publicEncoding = PUBLIC_ENCODINGS[label];
  if (publicEncoding) return analyzePublicPem(label, publicEncoding, artifact.raw);
  const known = PEM_ENCODINGS[label] ?? { encoding: 'pkcs8' as const, keyType: 'unknown' };
  const candidates = bodies(artifact.raw);
  for (const body of candidates) {
    let key: KeyObject;
    try {
      key = createPrivateKey(toPem(label, body));
    } catch (error) {
      if (NEEDS_PASSPHRASE.has(errorCode(error) ?? '')) {
        const encoding: KeyEncoding = label === 'ENCRYPTED PRIVATE KEY' ? 'pkcs8-encrypted' : 'pem-encrypted';
        return { kind: 'key', private: true, keyType: known.keyType, encrypted: true, encoding, confirmed: true, digest: sha256(body.base64) };
      }
      // A label node does not know (`ECDSA PRIVATE KEY`, a vendor's own) or one that does not
      // match its body: the body read as each usual structure.
      const der = asDer(body);
      if (!der) {
        const postQuantum = postQuantumKey(Buffer.from(body.base64, 'base64'), known.encoding);
        if (postQuantum) return postQuantum;
        continue;
      }
      const facts = await describeKeyObject(der.key);
      return fromPublic(facts, { encrypted: false, encoding: der.encoding, confirmed: true });
    }
    const facts = await describeKeyObject(key);
    return fromPublic(facts, { encrypted: false, encoding: known.encoding, confirmed: true });
  }
  // A body that is not whole base64 (a character lost or added in a copy): a damaged key, reported with lower confidence.
  const body = candidates[0] ?? cleanArmorBody(artifact.raw, { damaged: true });
  return unconfirmed(body, known.encoding, known.keyType);
}

/** The private-key structures a PEM body holds under any label: PKCS#8, SEC1 (EC), PKCS#1 (RSA). */
const DER_STRUCTURES = ['pkcs8', 'sec1', 'pkcs1'] as const;

function asDer(body: ArmorBody): { key: KeyObject; encoding: KeyEncoding } | undefined {
  if (body.headers.length > 0) return undefined; // Proc-Type encryption headers belong to the labels node knows
  const der = Buffer.from(body.base64, 'base64');
  for (const type of DER_STRUCTURES) {
    try {
      return { key: createPrivateKey({ key: der, format: 'der', type }), encoding: type };
    } catch (error) {
      if (!isContentError(error)) throw error;
    }
  }
  return undefined;
}

/**
 * A PKCS#8 key node:crypto did not read whose algorithm identifier is a post-quantum one
 * (ML-DSA, ML-KEM, SLH-DSA): a private key all the same, confirmed by its structure.
 */
function postQuantumKey(der: Buffer, encoding: KeyEncoding): KeyFacts | undefined {
  const algorithm = postQuantumAlgorithm(der);
  if (!algorithm) return undefined;
  return { kind: 'key', private: true, keyType: algorithm, ...postQuantumType(algorithm), encrypted: false, encoding, confirmed: true, digest: sha256(der), unreadable: `recognised by its algorithm identifier: this runtime (Node ${process.versions.node}) does not read ${algorithm} keys` };
}


/**
 * DER without PEM armour, from a binary file or a base64 run: a private key read by
 * node:crypto as the structure its shape says (one it does not read is dropped, unless it
 * is a post-quantum PKCS#8), or a key store, opened where a well-known password opens it.
 */
async function analyzeDer(artifact: Artifact): Promise<KeyFacts | undefined> {
  const kind = derKindOf(artifact);
  if (kind === undefined) return undefined;
  const der = Buffer.from(artifact.normalized ?? artifact.raw, 'base64');
  const encoding = DER_ENCODINGS[kind];
  if (kind === 'pkcs12' || kind === 'jks' || kind === 'jceks') return analyzeStore(der, encoding);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: kind });
  } catch (error) {
    if (!isContentError(error)) throw error;
    return kind === 'pkcs8' ? postQuantumKey(der, encoding) : undefined;
  }
  return fromPublic(await describeKeyObject(key), { encrypted: false, encoding, confirmed: true });
}

/**
 * A key store. One that a well-known password opens is as good as unencrypted; one that
 * holds no key (certificates only: a trust store) is no secret; one that cannot be opened
 * is an encrypted key. The key's type, size and thumbprint come from the first private key
 * (PKCS#12, once opened) or from its certificate (JKS and JCEKS keep them readable).
 */
async function analyzeStore(der: Buffer, encoding: KeyEncoding): Promise<KeyFacts | undefined> {
  const { key, subject, format, ...store } = openKeyStore(der);
  const opened = store.password !== undefined;
  const known = store.privateKeys !== undefined || opened;
  if (known && !store.privateKeys && store.secretKeys === 0) return undefined;
  const facts: PublicKeyFacts = key ? await describeKeyObject(key) : { keyType: !store.privateKeys && store.secretKeys > 0 ? 'oct' : 'unknown' };
  return {
    kind: 'key',
    private: true,
    ...facts,
    encrypted: !opened,
    encoding,
    confirmed: true,
    digest: facts.thumbprint ?? sha256(der),
    store: { format, ...store },
    ...(subject ? { subject } : {}),
  };
}

const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/** The openssh-key-v1 container (PROTOCOL.key): cipher, KDF, public key, private section. */
async function analyzeOpenSsh(data: Buffer): Promise<KeyFacts> {
  if (!data.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) throw new ContentError('not an openssh-key-v1 container');
  const reader = new WireReader(data.subarray(OPENSSH_MAGIC.length));
  const cipher = reader.text();
  reader.text(); // KDF name
  reader.string(); // KDF options
  const count = reader.u32();
  if (count < 1 || count > 16) throw new ContentError(`implausible key count ${count}`);
  const ssh = await parseSshPublicKey(reader.string());
  const encrypted = cipher !== 'none';
  let confirmed = ssh.confirmed;
  if (!encrypted) {
    // Unencrypted private sections start with two equal check integers.
    const section = new WireReader(reader.string());
    confirmed = confirmed && section.u32() === section.u32();
  }
  return fromPublic(ssh.facts, { encrypted, encoding: 'openssh', confirmed, sshFingerprint: ssh.sshFingerprint, digest: ssh.facts.thumbprint ?? ssh.sshFingerprint });
}

async function analyzePgp(data: Buffer): Promise<KeyFacts> {
  const pgp = await parsePgpSecretKey(data);
  return fromPublic(pgp.facts, {
    encrypted: pgp.encrypted,
    encoding: 'pgp',
    confirmed: true,
    ...(pgp.pgpFingerprint ? { pgpFingerprint: pgp.pgpFingerprint } : {}),
    digest: pgp.facts.thumbprint ?? pgp.pgpFingerprint ?? sha256(data),
  });
}

/** PuTTY .ppk v2/v3: `Key: value` headers, then counted base64 lines for the public and private blobs. */
async function analyzePpk(text: string): Promise<KeyFacts | undefined> {
  const lines = text.split(/\r\n|\r|\n/).map(stripStringSyntax).filter(Boolean);
  const fields = new Map<string, string>();
  const blobs = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon);
    if (!/^[A-Za-z0-9-]{1,40}$/.test(name)) continue;
    const value = line.slice(colon + 1).trim();
    fields.set(name, value);
    if (name === 'Public-Lines' || name === 'Private-Lines') {
      const count = Number(value);
      if (!Number.isInteger(count) || count < 1 || count > 1000 || i + count >= lines.length) return undefined;
      const body = lines.slice(i + 1, i + 1 + count).join('');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
      blobs.set(name, body);
      i += count;
    }
  }
  const publicBlob = blobs.get('Public-Lines');
  if (!publicBlob || !blobs.has('Private-Lines') || !fields.has('Private-MAC')) return undefined;
  const ssh = await parseSshPublicKey(Buffer.from(publicBlob, 'base64'));
  const encryption = fields.get('Encryption') ?? 'none';
  return fromPublic(ssh.facts, { encrypted: encryption !== 'none', encoding: 'ppk', confirmed: ssh.confirmed, sshFingerprint: ssh.sshFingerprint, digest: ssh.facts.thumbprint ?? ssh.sshFingerprint });
}

const QUOTES = new Set(['"', "'", '`']);
const SPACE = new Set([' ', '\t']);

/**
 * Strips string syntax around a line of a quoted, concatenated PPK: white space, quotes,
 * and a `+` only beside white space or a quote (`+AbC` is base64). Linear, no regex.
 */
function stripStringSyntax(line: string): string {
  const syntax = (at: number, inward: number) => {
    const c = line[at]!;
    if (SPACE.has(c) || QUOTES.has(c)) return true;
    if (c === '+') {
      const beside = line[at + inward];
      return beside === undefined || SPACE.has(beside) || QUOTES.has(beside);
    }
    return false;
  };
  let start = 0;
  let end = line.length;
  while (start < end && syntax(start, 1)) start++;
  while (end > start && (syntax(end - 1, -1) || ',;\\'.includes(line[end - 1]!))) end--;
  return line.slice(start, end);
}

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;
/** The public members of RSA, EC and OKP JWKs, which say what the key is (`d` is checked on its own; a CRT member with a typo still leaves a private key). */
const KEY_MEMBERS = ['n', 'e', 'x', 'y'] as const;

/** A JWK: private with `d` (RSA, EC, OKP) or `k` (oct), public otherwise. */
async function analyzeJwk(json: Record<string, unknown>): Promise<KeyFacts | undefined> {
  const { kty } = json;
  const extra = {
    ...(typeof json.alg === 'string' ? { alg: json.alg.slice(0, 32) } : {}),
    ...(typeof json.kid === 'string' ? { kid: json.kid.slice(0, 128) } : {}),
  };
  if (kty === 'oct') {
    const k = json.k;
    if (typeof k !== 'string' || !B64URL.test(k) || isPlaceholder(k)) return undefined;
    const bytes = Buffer.from(k, 'base64url');
    if (bytes.length === 0) return undefined;
    // No thumbprint is shown: a fast hash of a weak secret could be reversed (see symmetricKeyDigest).
    const digest = symmetricKeyDigest(bytes);
    return { kind: 'key', private: true, keyType: 'oct', bits: bytes.length * 8, encrypted: false, encoding: 'jwk', confirmed: true, digest, ...extra };
  }
  if (kty === 'AKP') return akpKey(json, extra);
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') return undefined;
  // node:crypto decodes base64url leniently, skipping what is not base64url: key material must be base64url throughout.
  if (KEY_MEMBERS.some((name) => typeof json[name] === 'string' && !B64URL.test(json[name]))) return undefined;
  const members = Object.fromEntries(Object.entries(json).filter(([, v]) => typeof v === 'string')) as JsonWebKey;
  // `P-256K` is secp256k1 under the name an early draft of RFC 8812 gave it.
  if (typeof members.crv === 'string' && CURVE_ALIASES[members.crv]) members.crv = CURVE_ALIASES[members.crv];
  const d = json.d;
  if (kty !== 'RSA' && typeof members.crv === 'string' && !READABLE_CURVES.has(members.crv)) return declaredCurveKey(kty, members, extra);
  if (d === undefined) {
    // A public JWK: its strength and its algorithm still matter.
    const facts = await describeKeyObject(publicKeyFromJwk(members));
    return { kind: 'key', private: false, ...facts, encrypted: false, encoding: 'jwk', confirmed: true, digest: facts.thumbprint ?? '', ...extra };
  }
  if (typeof d !== 'string' || !B64URL.test(d) || isPlaceholder(d)) return undefined;
  let facts: PublicKeyFacts;
  try {
    facts = await describeKeyObject(createPrivateKey({ key: members, format: 'jwk' }));
  } catch (error) {
    if (!isContentError(error)) throw error;
    // RFC 7518 6.3.2 lets an RSA private JWK omit the CRT members; node:crypto needs them,
    // so confirm the public half instead, and that `d` is as long as the modulus.
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicMembers } = members;
    const publicKey = publicKeyFromJwk(publicMembers);
    if (kty === 'RSA' && Buffer.from(d, 'base64url').length * 8 < (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 2) return undefined;
    facts = await describeKeyObject(publicKey);
  }
  return fromPublic(facts, { encrypted: false, encoding: 'jwk', confirmed: true, ...extra });
}

/**
 * An `AKP` JWK (a post-quantum key: ML-DSA, by its `alg`): private with `priv`. node:crypto
 * reads them from Node 24.7 on; before, the members are judged, and a key whose members
 * have the sizes its algorithm gives them is reported at full confidence.
 */
async function akpKey(json: Record<string, unknown>, extra: { alg?: string; kid?: string }): Promise<KeyFacts | undefined> {
  const { alg, pub, priv } = json;
  if (typeof alg !== 'string' || typeof pub !== 'string' || !B64URL.test(pub) || isPlaceholder(pub)) return undefined;
  if (priv !== undefined && (typeof priv !== 'string' || !B64URL.test(priv) || isPlaceholder(priv))) return undefined;
  const isPrivate = typeof priv === 'string';
  try {
    const members = { kty: 'AKP', alg, pub, ...(isPrivate ? { priv } : {}) } as unknown as JsonWebKey;
    const key = isPrivate ? createPrivateKey({ key: members, format: 'jwk' }) : createPublicKey({ key: members, format: 'jwk' });
    const facts = await describeKeyObject(key);
    return { kind: 'key', private: isPrivate, ...facts, encrypted: false, encoding: 'jwk', confirmed: true, digest: facts.thumbprint ?? sha256(pub), ...extra };
  } catch (error) {
    if (!isContentError(error)) throw error;
  }
  const publicBytes = Buffer.from(pub, 'base64url');
  const privateBytes = isPrivate ? Buffer.from(priv, 'base64url') : undefined;
  if (publicBytes.length < 32 || (privateBytes && privateBytes.length < 16)) return undefined;
  const sized = akpSizesMatch(alg, publicBytes, privateBytes) === true;
  const named = postQuantumType(alg) ?? { keyType: 'AKP', curve: alg.slice(0, 32) };
  return {
    kind: 'key',
    private: isPrivate,
    keyType: 'AKP',
    curve: named.curve,
    encrypted: false,
    encoding: 'jwk',
    confirmed: sized,
    digest: sha256(`AKP\0${alg}\0${pub}`),
    unreadable: `recognised by its members: this runtime (Node ${process.versions.node}) does not read ${named.curve} JWKs`,
    ...extra,
  };
}

const CURVE_ALIASES: Readonly<Record<string, string>> = { 'P-256K': 'secp256k1' };
/** The curves node:crypto reads JWKs on. */
const READABLE_CURVES: ReadonlySet<string> = new Set(['P-256', 'P-384', 'P-521', 'secp256k1', 'Ed25519', 'Ed448', 'X25519', 'X448']);

/**
 * A JWK on a curve node:crypto cannot read (`BP-256` and the other Brainpool names, a
 * vendor's own): judged by its members, never ignored. With a plausible `d` it is a
 * private key, unconfirmed; without one a public key, unconfirmed; either way weak-key
 * judges its declared curve.
 */
function declaredCurveKey(kty: 'EC' | 'OKP', members: JsonWebKey, extra: { alg?: string; kid?: string }): KeyFacts | undefined {
  const curve = String(members.crv).slice(0, 32);
  const coordinate = typeof members.x === 'string' && B64URL.test(members.x) && Buffer.from(members.x, 'base64url').length >= 16;
  if (!coordinate) return undefined;
  const d = members.d;
  const isPrivate = typeof d === 'string';
  if (isPrivate && (!B64URL.test(d) || isPlaceholder(d) || Buffer.from(d, 'base64url').length < 16)) return undefined;
  return { kind: 'key', private: isPrivate, keyType: kty, curve, encrypted: false, encoding: 'jwk', confirmed: false, digest: sha256(`${kty}\0${curve}\0${members.x}\0${members.y ?? ''}`), ...extra };
}

/**
 * A placeholder written where a key goes: one character repeated, or runs of x around
 * little else (`xxxx`, `XXXX-your-secret-here-XXXX`). Key material that happens to hold
 * `XXXX` is not one: what is left once the runs are taken out is long and has digits.
 */
function isPlaceholder(value: string): boolean {
  if (/^(.)\1*$/.test(value)) return true;
  if (!/x{4,}|X{4,}/.test(value)) return false;
  const rest = value.replace(/x{4,}|X{4,}/g, '');
  return rest.length < 16 || !/[0-9]/.test(rest);
}
