/**
 * Key fixtures made at test time, so the repository holds no key material. The
 * container formats node:crypto does not write (OpenSSH, PuTTY, OpenPGP) are
 * assembled here from keys node:crypto generated, following their specifications.
 */
import { createHash, createHmac, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const execFileAsync = promisify(execFile);

export type KeySpec = { type: 'rsa'; bits: number } | { type: 'ec'; curve: 'P-256' | 'P-384' | 'P-521' | 'secp256k1' } | { type: 'ed25519' } | { type: 'ed448' } | { type: 'dsa'; bits: number };

const cache = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();

/** Generates (and caches per spec within a test file) a key pair. */
export function keyPair(spec: KeySpec = { type: 'rsa', bits: 2048 }, fresh = false) {
  const id = JSON.stringify(spec);
  const hit = cache.get(id);
  if (hit && !fresh) return hit;
  let pair;
  switch (spec.type) {
    case 'rsa':
      pair = generateKeyPairSync('rsa', { modulusLength: spec.bits });
      break;
    case 'ec':
      pair = generateKeyPairSync('ec', { namedCurve: spec.curve });
      break;
    case 'ed25519':
      pair = generateKeyPairSync('ed25519');
      break;
    case 'ed448':
      pair = generateKeyPairSync('ed448');
      break;
    case 'dsa':
      pair = generateKeyPairSync('dsa', { modulusLength: spec.bits, divisorLength: spec.bits >= 2048 ? 256 : 160 });
      break;
  }
  if (!fresh) cache.set(id, pair);
  return pair;
}

export const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
export const pkcs1 = (key: KeyObject) => key.export({ type: 'pkcs1', format: 'pem' }) as string;
export const sec1 = (key: KeyObject) => key.export({ type: 'sec1', format: 'pem' }) as string;
export const encryptedPkcs8 = (key: KeyObject, passphrase = 'correct horse') =>
  key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
/** PKCS#1 (RSA) or SEC1 (EC) with the legacy `Proc-Type: 4,ENCRYPTED` header. */
export const procTypeEncrypted = (key: KeyObject, passphrase = 'correct horse') =>
  key.export({ type: key.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;

/** Traditional `DSA PRIVATE KEY` PEM, converted by the openssl command (node:crypto writes only PKCS#8 for DSA). */
export function traditionalDsa(key: KeyObject): string {
  return execFileSync('openssl', ['pkey', '-traditional'], { input: pkcs8(key) }).toString();
}

export const jwk = (key: KeyObject) => key.export({ format: 'jwk' }) as Record<string, string>;
export const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }) as string;

/** A self-signed X.509 certificate for the key pair, made by the openssl command (node:crypto cannot issue certificates). */
export function certificate(privateKey: KeyObject, subject = '/CN=api.example.test'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-cert-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    writeFileSync(keyFile, pkcs8(privateKey), { mode: 0o600 });
    return execFileSync('openssl', ['req', '-x509', '-key', keyFile, '-subj', subject, '-days', '1'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A PKCS#12 store holding the key and its certificate, written by the openssl command; `options` are extra `pkcs12 -export` flags (`-legacy`, `-nomac`, `-nokeys`). */
export function pkcs12Store(privateKey: KeyObject, password: string, options: string[] = []): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-p12-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    writeFileSync(keyFile, pkcs8(privateKey), { mode: 0o600 });
    writeFileSync(certFile, certificate(privateKey));
    return execFileSync('openssl', ['pkcs12', '-export', '-inkey', keyFile, '-in', certFile, '-passout', `pass:${password}`, ...options], { stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A Java key store written by the real keytool: a key pair (`-genkeypair`), an AES secret
 * key (`secret`, JCEKS and PKCS12 only) or a trusted certificate alone (`trusted`).
 * Asynchronous, so that a suite can start its JVMs side by side.
 */
export async function javaStore(storetype: 'JKS' | 'JCEKS' | 'PKCS12', password: string, entry: 'pair' | 'secret' | 'trusted' = 'pair', keyalg: 'RSA' | 'EC' = 'RSA'): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-jks-'));
  try {
    const store = path.join(dir, 'store');
    const common = ['-noprompt', '-storetype', storetype, '-keystore', store, '-storepass', password];
    if (entry === 'pair') await execFileAsync('keytool', ['-genkeypair', '-alias', 'signing', '-keyalg', keyalg, ...(keyalg === 'RSA' ? ['-keysize', '2048'] : []), '-dname', 'CN=signing.example.test', '-keypass', password, ...common]);
    else if (entry === 'secret') await execFileAsync('keytool', ['-genseckey', '-alias', 'aes', '-keyalg', 'AES', '-keysize', '128', '-keypass', password, ...common]);
    else {
      const certFile = path.join(dir, 'cert.pem');
      writeFileSync(certFile, certificate(keyPair({ type: 'ec', curve: 'P-256' }).privateKey));
      await execFileAsync('keytool', ['-importcert', '-alias', 'ca', '-file', certFile, ...common]);
    }
    return readFileSync(store);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// ---- SSH wire format --------------------------------------------------------

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const sshString = (data: Buffer | string) => {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([u32(b.length), b]);
};
const mpint = (data: Buffer) => {
  let b = data;
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  return sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
};
const b64u = (s: string) => Buffer.from(s, 'base64url');

function sshParts(privateKey: KeyObject) {
  const j = jwk(privateKey);
  const type = privateKey.asymmetricKeyType;
  if (type === 'rsa') {
    return {
      name: 'ssh-rsa',
      pub: Buffer.concat([sshString('ssh-rsa'), mpint(b64u(j.e!)), mpint(b64u(j.n!))]),
      priv: Buffer.concat([sshString('ssh-rsa'), mpint(b64u(j.n!)), mpint(b64u(j.e!)), mpint(b64u(j.d!)), mpint(b64u(j.qi!)), mpint(b64u(j.p!)), mpint(b64u(j.q!))]),
      ppkPriv: Buffer.concat([mpint(b64u(j.d!)), mpint(b64u(j.p!)), mpint(b64u(j.q!)), mpint(b64u(j.qi!))]),
    };
  }
  if (type === 'ed25519') {
    const x = b64u(j.x!);
    const d = b64u(j.d!);
    return {
      name: 'ssh-ed25519',
      pub: Buffer.concat([sshString('ssh-ed25519'), sshString(x)]),
      priv: Buffer.concat([sshString('ssh-ed25519'), sshString(x), sshString(Buffer.concat([d, x]))]),
      ppkPriv: sshString(d),
    };
  }
  if (type === 'ec') {
    const curve = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' }[j.crv!]!;
    const name = `ecdsa-sha2-${curve}`;
    const point = Buffer.concat([Buffer.from([4]), b64u(j.x!), b64u(j.y!)]);
    return {
      name,
      pub: Buffer.concat([sshString(name), sshString(curve), sshString(point)]),
      priv: Buffer.concat([sshString(name), sshString(curve), sshString(point), mpint(b64u(j.d!))]),
      ppkPriv: mpint(b64u(j.d!)),
    };
  }
  throw new Error(`no SSH form for ${type}`);
}

/** An `OPENSSH PRIVATE KEY` (PROTOCOL.key), unencrypted or with a bcrypt-KDF cipher section. */
export function openssh(privateKey: KeyObject, options: { encrypted?: boolean; comment?: string } = {}): string {
  const { pub, priv } = sshParts(privateKey);
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, priv, sshString(options.comment ?? 'test@jwt-guard')]);
  const pad = [];
  for (let i = 1; (section.length + pad.length) % 16 !== 0; i++) pad.push(i);
  section = Buffer.concat([section, Buffer.from(pad)]);
  const encrypted = options.encrypted ?? false;
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString(encrypted ? 'aes256-ctr' : 'none'),
    sshString(encrypted ? 'bcrypt' : 'none'),
    sshString(encrypted ? Buffer.concat([sshString(randomBytes(16)), u32(16)]) : Buffer.alloc(0)),
    u32(1),
    sshString(pub),
    sshString(encrypted ? randomBytes(section.length) : section),
  ]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.toString('base64').replace(/.{1,70}/g, '$&\n')}-----END OPENSSH PRIVATE KEY-----\n`;
}

/** An authorized_keys line (`ssh-ed25519 AAAA… comment`) for the public half of a private key. */
export function sshPublicLine(privateKey: KeyObject, comment = 'deploy@ci'): string {
  const { name, pub } = sshParts(privateKey);
  return `${name} ${pub.toString('base64')} ${comment}`;
}

/** A PuTTY `.ppk` file, version 2 or 3, unencrypted or encrypted. */
export function ppk(privateKey: KeyObject, options: { version?: 2 | 3; encrypted?: boolean } = {}): string {
  const version = options.version ?? 3;
  const { name, pub, ppkPriv } = sshParts(privateKey);
  const encryption = options.encrypted ? 'aes256-cbc' : 'none';
  const comment = 'imported-openssh-key';
  const priv = options.encrypted ? randomBytes(Math.ceil((ppkPriv.length + 1) / 16) * 16) : ppkPriv;
  const macInput = Buffer.concat([sshString(name), sshString(encryption), sshString(comment), sshString(pub), sshString(priv)]);
  const mac =
    version === 2
      ? createHmac('sha1', createHash('sha1').update('putty-private-key-file-mac-key').digest()).update(macInput).digest('hex')
      : createHmac('sha256', Buffer.alloc(0)).update(macInput).digest('hex');
  const lines = (b: Buffer) => b.toString('base64').match(/.{1,64}/g)!;
  const out = [`PuTTY-User-Key-File-${version}: ${name}`, `Encryption: ${encryption}`];
  if (version === 3 && options.encrypted) {
    out.push('Key-Derivation: Argon2id', 'Argon2-Memory: 8192', 'Argon2-Passes: 13', 'Argon2-Parallelism: 1', `Argon2-Salt: ${randomBytes(16).toString('hex')}`);
  }
  out.push(`Comment: ${comment}`, `Public-Lines: ${lines(pub).length}`, ...lines(pub), `Private-Lines: ${lines(priv).length}`, ...lines(priv), `Private-MAC: ${mac}`);
  return `${out.join('\n')}\n`;
}

// ---- OpenPGP ------------------------------------------------------------------

const mpi = (data: Buffer) => {
  let b = data;
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  const bits = (b.length - 1) * 8 + (32 - Math.clz32(b[0]!));
  const head = Buffer.alloc(2);
  head.writeUInt16BE(bits);
  return Buffer.concat([head, b]);
};

function crc24(data: Buffer): Buffer {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  crc &= 0xffffff;
  return Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]);
}

/** An armored OpenPGP v4 RSA secret key (RFC 9580), its secret part clear or protected (S2K usage 254). */
export function pgpPrivateKey(privateKey: KeyObject, options: { encrypted?: boolean } = {}): { armored: string; fingerprint: string } {
  const j = jwk(privateKey);
  const publicPart = Buffer.concat([Buffer.from([4]), u32(1_700_000_000), Buffer.from([1]), mpi(b64u(j.n!)), mpi(b64u(j.e!))]);
  let secret: Buffer;
  if (options.encrypted) {
    secret = Buffer.concat([Buffer.from([254, 9, 3, 8]), randomBytes(8), Buffer.from([0xff]), randomBytes(16), randomBytes(600)]);
  } else {
    const material = Buffer.concat([mpi(b64u(j.d!)), mpi(b64u(j.p!)), mpi(b64u(j.q!)), mpi(b64u(j.qi!))]);
    let sum = 0;
    for (const byte of material) sum = (sum + byte) & 0xffff;
    secret = Buffer.concat([Buffer.from([0]), material, Buffer.from([sum >> 8, sum & 0xff])]);
  }
  const body = Buffer.concat([publicPart, secret]);
  const header = body.length < 192 ? Buffer.from([0xc5, body.length]) : Buffer.concat([Buffer.from([0xc5, 0xff]), u32(body.length)]);
  const packet = Buffer.concat([header, body]);
  const fingerprint = createHash('sha1').update(Buffer.from([0x99, publicPart.length >> 8, publicPart.length & 0xff])).update(publicPart).digest('hex').toUpperCase();
  const armored = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${packet.toString('base64').replace(/.{1,64}/g, '$&\n')}=${crc24(packet).toString('base64')}\n-----END PGP PRIVATE KEY BLOCK-----\n`;
  return { armored, fingerprint };
}

// ---- real tools, where present --------------------------------------------------

/** A key written by the real ssh-keygen. */
export function sshKeygen(type: 'ed25519' | 'rsa' | 'ecdsa', passphrase = ''): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-ssh-'));
  try {
    const file = path.join(dir, 'id');
    execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', passphrase, '-C', 'test@jwt-guard', '-f', file]);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A secret key exported by the real gpg. */
export function gpgSecretKey(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-gpg-'));
  try {
    const env = { ...process.env, GNUPGHOME: dir };
    execFileSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'Test <test@jwt-guard.invalid>', 'ed25519', 'sign', 'never'], { env, stdio: 'ignore' });
    return execFileSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--armor', '--export-secret-keys'], { env }).toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
