import type { Severity, SeverityLevel } from '../types.js';

const ONE_LOWER: Record<Severity, Severity> = { error: 'warning', warning: 'note', note: 'note' };

/** One level below, for findings that still count but matter less (expired tokens, unconfirmed keys). */
export function lower(severity: SeverityLevel): SeverityLevel {
  return severity === 'off' ? 'off' : ONE_LOWER[severity];
}
