import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errorCode, errorKind, UserError } from '../errors.js';

/**
 * Pieces of output (a report, one finding at a time) joined into strings of at least
 * `size` characters, so that writing them is a system call per 64 KiB, not per piece
 * (0.17 s of the dense bench tree's 14,500 findings, written one by one to a file).
 */
export function* gathered(pieces: Iterable<string>, size = 1 << 16): Generator<string> {
  let pending = '';
  for (const piece of pieces) {
    pending += piece;
    if (pending.length >= size) {
      yield pending;
      pending = '';
    }
  }
  if (pending) yield pending;
}

/**
 * Writes a whole file or nothing: a temporary file beside it, then a rename. A path that
 * cannot be written (a directory, no permission) is the user's to fix: a UserError naming it.
 */
export async function writeFileAtomic(file: string, content: string | Iterable<string>, mode = 0o644): Promise<void> {
  const target = path.resolve(file);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (typeof content === 'string') await fs.writeFile(temporary, content, { mode, flag: 'wx' });
    else {
      const handle = await fs.open(temporary, 'wx', mode);
      try {
        for (const piece of gathered(content)) await handle.write(piece);
      } finally {
        await handle.close();
      }
    }
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw new UserError('ERR_WRITE', `cannot write ${file}: ${errorCode(error) ?? errorKind(error)}`, { cause: error });
  }
}
