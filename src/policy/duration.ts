import { UserError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export const DURATION_PATTERN = '^([0-9]+[smhdw])+$|^[0-9]+$';

/** The longest duration accepted: a century. Longer values are typos, and overflow the dates they are added to. */
export const MAX_DURATION_SECONDS = 100 * 365 * 86400;

function bounded(seconds: number, value: string | number): number {
  if (!(seconds <= MAX_DURATION_SECONDS)) throw new UserError('ERR_DURATION', `invalid duration '${value}': longer than 100 years`);
  return seconds;
}

/** Parses `90s`, `10m`, `1h30m`, `24h`, `7d`, `2w` (or a number of seconds) into seconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new UserError('ERR_DURATION', `invalid duration ${value}: must be a whole number of seconds`);
    return bounded(value, value);
  }
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) return bounded(Number(text), value);
  if (!/^([0-9]+[smhdw])+$/.test(text)) {
    throw new UserError('ERR_DURATION', `invalid duration '${value}': use a number with s, m, h, d or w, such as '10m', '1h30m' or '24h'`);
  }
  let seconds = 0;
  let amount = '';
  for (const c of text) {
    if (c >= '0' && c <= '9') amount += c;
    else {
      seconds += Number(amount) * UNIT_SECONDS[c]!;
      amount = '';
    }
  }
  return bounded(seconds, value);
}
