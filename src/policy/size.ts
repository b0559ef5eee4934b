import { UserError } from '../errors.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

export const SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*([kKmMgG]?(i?[bB])?|[bB])$';

/** Parses a size such as `10MB`, `512 KiB` or `1048576` into bytes (binary units: 1 KB = 1024 B); `none` is no limit (Infinity). */
export function parseSize(value: string | number): number {
  if (value === 'none') return Number.POSITIVE_INFINITY;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new UserError('ERR_SIZE', `invalid size ${value}: must be a non-negative number of bytes`);
    return Math.floor(value);
  }
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)$/.exec(value.trim());
  const factor = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new UserError('ERR_SIZE', `invalid size '${value}': use a number of bytes or a number with KB, MB or GB (e.g. '10MB')`);
  }
  return Math.floor(Number(match[1]) * factor);
}
