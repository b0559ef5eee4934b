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
