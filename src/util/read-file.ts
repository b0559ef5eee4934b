import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { errorCode, UserError, type ErrorCode } from '../errors.js';
import { formatSize } from './format.js';

export interface ReadOptions {
  /** Bytes the file may hold at most. */
  maxBytes: number;
  /** How the file is named in messages ("policy file .github/jwt-guard.json", "--passphrase-file"). */
  what: string;
  /** The error code of the UserError for a file that cannot be read. */
  code: ErrorCode;
}

/**
 * Reads a small input file (a policy, a baseline, a key, a passphrase) that must be a
 * regular file of bounded size: `/dev/zero`, a FIFO or a directory named as a policy is
 * refused at once, and a file that grows past the cap (or a `/proc` file whose size says
 * 0) is refused once the cap is passed, so that no input can exhaust memory. Never
 * blocks on a FIFO. Messages name `what`, never the file's content.
 */
export function readRegularFile(file: string, options: ReadOptions): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new UserError(options.code, `${options.what}: ${describeOpenError(error)}`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new UserError(options.code, `${options.what}: not a regular file`);
    const chunks: Buffer[] = [];
    let total = 0;
    const block = Buffer.allocUnsafe(64 << 10);
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, block, 0, block.length, null);
      } catch (error) {
        throw new UserError(options.code, `${options.what}: cannot be read (${errorCode(error) ?? 'error'})`);
      }
      if (read === 0) break;
      total += read;
      if (total > options.maxBytes) throw new UserError(options.code, `${options.what}: larger than ${formatSize(options.maxBytes)}, more than this input can be`);
      chunks.push(Buffer.from(block.subarray(0, read)));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function describeOpenError(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'a directory, not a file';
    default:
      return `cannot be opened (${errorCode(error) ?? 'error'})`;
  }
}

/** Caps for the small inputs jwt-guard reads whole. */
export const INPUT_LIMITS = {
  policy: 1 << 20,
  baseline: 64 << 20,
  key: 1 << 20,
  secret: 64 << 10,
  tokens: 16 << 20,
} as const;
