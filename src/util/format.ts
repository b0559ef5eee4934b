/**
 * How jwt-guard words numbers in messages: durations, sizes and instants. One home, so
 * that rules, sources and reports word them alike and need not import the policy parsers.
 */

/**
 * Seconds since the epoch as an ISO 8601 instant ("2026-11-24T10:00:00Z"). Token claims
 * are untrusted numbers: one beyond what a JavaScript Date holds (±8.64e12 s, about
 * 275,000 years; real repositories hold `exp: 9223372006096375`) is said to be out of
 * range instead of throwing.
 */
export function isoTime(seconds: number): string {
  if (!Number.isFinite(seconds) || Math.abs(seconds) > MAX_DATE_SECONDS) return `${seconds} (out of range for a date)`;
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** The largest time value a Date holds, in seconds (ECMAScript: 8.64e15 ms). */
export const MAX_DATE_SECONDS = 8.64e12;

/** "3 d 4 h", "25 min", "40 s": the two largest units, for messages. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.round(Math.abs(totalSeconds));
  if (seconds >= 365 * 86400) return `${(seconds / (365 * 86400)).toFixed(1).replace(/\.0$/, '')} years`;
  const parts: string[] = [];
  const units: Array<[number, string]> = [
    [86400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  let rest = seconds;
  for (const [size, name] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)} ${name}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.length > 0 ? parts.join(' ') : '0 s';
}

/** "4.0 KB", "12.0 MB": binary units, for messages. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

/** "[a, b, c]": a policy list, as messages quote it. */
export const bracketList = (values: readonly string[]) => `[${values.join(', ')}]`;

/** "1 finding", "3 findings"; `many` for the plurals that are not `one` + s ("keys and tokens"). */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
