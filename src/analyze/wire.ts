import { ContentError } from '../errors.js';

/** Thrown when a binary container (SSH wire format, OpenPGP packets) is malformed. */
export const MalformedError = ContentError;

/**
 * Bounds-checked reader for the length-prefixed binary containers that wrap keys
 * (RFC 4251 SSH wire format, OpenPGP packets). It only splits containers into their
 * fields; the key material itself is always handed to node:crypto.
 */
export class WireReader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  bytes(length: number): Buffer {
    if (length < 0 || length > this.remaining) throw new MalformedError(`truncated: wanted ${length} bytes, ${this.remaining} left`);
    const out = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  u8(): number {
    return this.bytes(1)[0]!;
  }

  u16(): number {
    return this.bytes(2).readUInt16BE(0);
  }

  u32(): number {
    return this.bytes(4).readUInt32BE(0);
  }

  /** SSH `string`: uint32 length, then bytes. */
  string(): Buffer {
    return this.bytes(this.u32());
  }

  text(): string {
    return this.string().toString('latin1');
  }

  /** OpenPGP MPI: uint16 bit count, then the bytes. */
  mpi(): Buffer {
    const bits = this.u16();
    return this.bytes(Math.ceil(bits / 8));
  }
}

/** Strips leading zero bytes (SSH mpint sign padding). */
export function unsigned(value: Buffer): Buffer {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  return value.subarray(i);
}

/** Bit length of a big-endian unsigned integer. */
export function bitLength(value: Buffer): number {
  const v = unsigned(value);
  if (v.length === 0 || (v.length === 1 && v[0] === 0)) return 0;
  return (v.length - 1) * 8 + (32 - Math.clz32(v[0]!));
}
