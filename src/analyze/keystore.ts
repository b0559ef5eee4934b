import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { ContentError } from '../errors.js';
import { WireReader } from './wire.js';
import { JCEKS_MAGIC, JKS_MAGIC } from '../detect/der.js';
import { membersOf, oidOf, readAsn1 } from './asn1.js';
import { formatSize } from '../util/format.js';

/**
 * Key stores: PKCS#12 (`.p12`, `.pfx`) and Java's JKS and JCEKS. node:crypto reads
 * neither container, so PKCS#12 is opened with node-forge (the PKI library npm's
 * certificate tooling uses; it implements the PKCS#12 key derivation and bag
 * decryption), and JKS/JCEKS, a plain length-prefixed format, is split by the
 * bounds-checked WireReader and its integrity digest checked with node:crypto's SHA-1.
 * Whatever key comes out goes to node:crypto.
 */

export type StoreFormat = 'PKCS#12' | 'JKS' | 'JCEKS';

/**
 * Passwords stores are left with: none, the JDK's `cacerts` default, the one Google Cloud
 * gives every service-account `.p12`, Android's debug keystore, and the ones tutorials use.
 */
export const WELL_KNOWN_PASSWORDS: readonly string[] = ['', 'changeit', 'notasecret', 'android', 'password', 'changeme', 'secret', '123456'];

export interface StoreContents {
  format: StoreFormat;
  /** The well-known password that opened it (`''`: no password), when one did. */
  password?: string;
  /** Private key entries (PKCS#12: key bags, once opened), or undefined when that cannot be seen without the password. */
  privateKeys?: number;
  /** JCEKS secret-key entries. */
  secretKeys: number;
  certificates: number;
  /** Why not every well-known password was tried. */
  untried?: string;
  /** The first private key (PKCS#12, once opened), or the public key of its certificate (JKS, JCEKS, readable without the password). */
  key?: KeyObject;
  /** The subject of that key's certificate. */
  subject?: string;
}

/**
 * Key-derivation iterations forge may run for one store, over every password tried (a
 * little under a second of forge's JavaScript SHA-256): a store that asks for more, or a
 * hostile iteration count, stops the trying instead of the scan.
 */
export const STORE_ITERATIONS = 400_000;

class IterationLimit extends Error {
  constructor(readonly iterations: number) {
    super(`a key derivation of ${iterations} iterations`);
  }
}

let allowance = 0;

function spend(iterations: number): void {
  if (!(iterations >= 1) || iterations > allowance) throw new IterationLimit(iterations);
  allowance -= iterations;
}

// Every key derivation forge runs, metered: the MAC key (PKCS#12 KDF), legacy PBE keys
// (the same KDF) and PBES2 keys (PBKDF2). They read their iteration counts from the file.
type Pbkdf2 = (password: string, salt: string, iterations: number, keyLength: number, md?: unknown) => string;
type Pkcs12Kdf = (password: string, salt: unknown, id: number, iterations: number, length: number, md?: unknown) => unknown;
const kdfs = forge as unknown as { pkcs5: { pbkdf2: Pbkdf2 }; pkcs12: { generateKey: Pkcs12Kdf }; pki: { pbe: { generatePkcs12Key: Pkcs12Kdf } } };
const pbkdf2 = kdfs.pkcs5.pbkdf2;
const pkcs12Kdf = kdfs.pki.pbe.generatePkcs12Key;
kdfs.pkcs5.pbkdf2 = (password, salt, iterations, keyLength, md) => {
  spend(iterations);
  return pbkdf2(password, salt, iterations, keyLength, md);
};
const meteredPkcs12Kdf: Pkcs12Kdf = (password, salt, id, iterations, length, md) => {
  spend(iterations);
  return pkcs12Kdf(password, salt, id, iterations, length, md);
};
kdfs.pkcs12.generateKey = meteredPkcs12Kdf;
kdfs.pki.pbe.generatePkcs12Key = meteredPkcs12Kdf;

const PKCS7_DATA = '1.2.840.113549.1.7.1';
const PKCS7_SIGNED = '1.2.840.113549.1.7.2';

/** What a key store holds, opened with a well-known password where one opens it. Throws ContentError for bytes that are not a store. */
export function openKeyStore(der: Buffer): StoreContents {
  const magic = der.length >= 4 ? der.readUInt32BE(0) : 0;
  const format: StoreFormat = magic === JKS_MAGIC ? 'JKS' : magic === JCEKS_MAGIC ? 'JCEKS' : 'PKCS#12';
  // Real stores are kilobytes; one of megabytes is not parsed (forge holds its whole tree), but still reported.
  if (der.length > MAX_STORE_BYTES) return { format, secretKeys: 0, certificates: 0, untried: `it is ${formatSize(der.length)}, larger than the ${formatSize(MAX_STORE_BYTES)} a store is opened up to` };
  if (format === 'PKCS#12') return openPkcs12(der);
  return openJavaStore(der, format);
}

/** The largest store opened. */
export const MAX_STORE_BYTES = 1 << 20;

function parsePfx(der: Buffer): forge.asn1.Asn1 {
  const asn1 = readAsn1(der, { strict: false, whole: false });
  // PFX ::= SEQUENCE { version 3, authSafe ContentInfo (data or signedData), macData OPTIONAL }
  const [version, authSafe] = membersOf(asn1);
  const oid = oidOf(membersOf(authSafe)[0]);
  if (!asn1 || version?.type !== forge.asn1.Type.INTEGER || version.value !== '\x03' || (oid !== PKCS7_DATA && oid !== PKCS7_SIGNED)) throw new ContentError('not a PKCS#12 structure');
  return asn1;
}

function openPkcs12(der: Buffer): StoreContents {
  const asn1 = parsePfx(der);
  allowance = STORE_ITERATIONS;
  let untried: string | undefined;
  for (const password of WELL_KNOWN_PASSWORDS) {
    let pfx: forge.pkcs12.Pkcs12Pfx;
    try {
      pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
    } catch (error) {
      if (error instanceof IterationLimit) {
        untried = error.iterations > STORE_ITERATIONS ? `it asks for ${error.iterations} key-derivation iterations` : `its key derivation is too slow to try them all within ${STORE_ITERATIONS} iterations`;
        break;
      }
      continue; // a wrong password (the MAC or a bag does not verify), or a structure forge does not read with it
    }
    return pkcs12Contents(pfx, password);
  }
  return { format: 'PKCS#12', secretKeys: 0, certificates: 0, ...(untried ? { untried } : {}) };
}

const bagsOf = (pfx: forge.pkcs12.Pkcs12Pfx, type: string) => pfx.getBags({ bagType: type })[type] ?? [];

function pkcs12Contents(pfx: forge.pkcs12.Pkcs12Pfx, password: string): StoreContents {
  const { oids } = forge.pki;
  const keyBags = [...bagsOf(pfx, oids.pkcs8ShroudedKeyBag!), ...bagsOf(pfx, oids.keyBag!)];
  const certBags = bagsOf(pfx, oids.certBag!);
  const contents: StoreContents = { format: 'PKCS#12', password, privateKeys: keyBags.length, secretKeys: 0, certificates: certBags.length };
  const first = keyBags[0];
  if (first) {
    // forge turns RSA keys into its own objects and leaves the others as their PrivateKeyInfo.
    const info = first.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(first.key as forge.pki.rsa.PrivateKey)) : first.asn1;
    if (info) {
      try {
        contents.key = createPrivateKey({ key: Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
      } catch {
        // a key type this runtime does not read: the store is still reported, by its bags
      }
    }
  }
  return contents;
}

/** Java's store digest: SHA-1 over the password (UTF-16BE), "Mighty Aphrodite" and the store. */
function javaDigest(password: string, body: Buffer): Buffer {
  return createHash('sha1').update(Buffer.from(password, 'utf16le').swap16()).update('Mighty Aphrodite', 'utf8').update(body).digest();
}

function openJavaStore(der: Buffer, format: 'JKS' | 'JCEKS'): StoreContents {
  if (der.length < 12 + 20) throw new ContentError(`a ${format} store too short to hold its digest`);
  const body = der.subarray(0, der.length - 20);
  const digest = der.subarray(der.length - 20);
  const reader = new WireReader(body);
  reader.u32();
  const version = reader.u32();
  if (version !== 1 && version !== 2) throw new ContentError(`a ${format} store of version ${version}`);
  const count = reader.u32();
  const contents: StoreContents = { format, privateKeys: 0, secretKeys: 0, certificates: 0 };
  const certificate = () => {
    if (version === 2) reader.bytes(reader.u16()); // the certificate type, `X.509`
    contents.certificates++;
    return reader.bytes(reader.u32());
  };
  entries: for (let i = 0; i < count; i++) {
    const tag = reader.u32();
    reader.bytes(reader.u16()); // alias
    reader.bytes(8); // date
    switch (tag) {
      case 1: {
        contents.privateKeys!++;
        reader.bytes(reader.u32()); // the key, under the store's own key protection
        const chain = reader.u32();
        for (let c = 0; c < chain; c++) {
          const bytes = certificate();
          if (c === 0 && !contents.key) describeCertificate(bytes, contents);
        }
        break;
      }
      case 2:
        certificate();
        break;
      case 3:
        if (format !== 'JCEKS') throw new ContentError('a secret-key entry in a JKS store');
        // A serialised Java object, whose length only Java's deserialiser knows: the walk ends here.
        contents.secretKeys++;
        break entries;
      default:
        throw new ContentError(`a ${format} entry of unknown type ${tag}`);
    }
  }
  const password = WELL_KNOWN_PASSWORDS.find((candidate) => javaDigest(candidate, body).equals(digest));
  return password === undefined ? contents : { ...contents, password };
}

function describeCertificate(bytes: Buffer, contents: StoreContents): void {
  try {
    const certificate = new X509Certificate(bytes);
    contents.key = certificate.publicKey;
    contents.subject = certificate.subject.replace(/\n/g, ', ').slice(0, 200);
  } catch {
    // a certificate node cannot read: the entry still counts
  }
}
