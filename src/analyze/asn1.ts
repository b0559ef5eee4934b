import forge from 'node-forge';

/** node-forge's decoder takes options its type declarations predate. */
type FromDer = (bytes: forge.util.ByteStringBuffer, options: { strict: boolean; decodeBitStrings: boolean; parseAllBytes: boolean }) => forge.asn1.Asn1;

/**
 * DER (or, with `strict: false`, BER) decoded by node-forge, bounded by its nesting limit;
 * undefined for bytes that are not one ASN.1 value (`whole`: and nothing after it).
 */
export function readAsn1(der: Buffer, { strict, whole }: { strict: boolean; whole: boolean }): forge.asn1.Asn1 | undefined {
  try {
    return (forge.asn1.fromDer as unknown as FromDer)(forge.util.createBuffer(der.toString('binary')), { strict, decodeBitStrings: false, parseAllBytes: whole });
  } catch {
    return undefined;
  }
}

/** The dotted OID an ASN.1 value holds, if it is one. */
export function oidOf(value: forge.asn1.Asn1 | undefined): string | undefined {
  return value?.type === forge.asn1.Type.OID && typeof value.value === 'string' ? forge.asn1.derToOid(value.value) : undefined;
}

/** The members of a constructed value (empty for a primitive one). */
export const membersOf = (value: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] => (value && Array.isArray(value.value) ? value.value : []);
