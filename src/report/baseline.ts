import { INPUT_LIMITS, readRegularFile } from '../util/read-file.js';
import { UserError } from '../errors.js';
import type { Finding } from '../types.js';
import { byCodeUnit } from '../util/order.js';

/** A baseline file: accepted findings by fingerprint, with where they were (never what). */
export interface Baseline {
  version: 1;
  findings: Array<{ fingerprint: string; ruleId: string; file: string; line: number }>;
}

export function renderBaseline(findings: Finding[]): string {
  const entries = findings
    .map(({ fingerprint, ruleId, file, line }) => ({ fingerprint, ruleId, file, line }))
    .sort((a, b) => byCodeUnit(a.file, b.file) || a.line - b.line || byCodeUnit(a.fingerprint, b.fingerprint));
  const unique = entries.filter((e, i) => i === 0 || e.fingerprint !== entries[i - 1]!.fingerprint || e.file !== entries[i - 1]!.file || e.line !== entries[i - 1]!.line);
  const baseline: Baseline = { version: 1, findings: unique };
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** One accepted finding, as a baseline file records it (the place is what --write-baseline wrote, and may be absent in one written by hand). */
export type BaselineEntry = { fingerprint: string } & Partial<Omit<Baseline['findings'][number], 'fingerprint'>>;

/** Reads a baseline: its fingerprints and its entries; a missing or malformed file is a user error naming the file and what is wrong. */
export function readBaseline(file: string): { fingerprints: Set<string>; entries: BaselineEntry[] } {
  const text = readRegularFile(file, { maxBytes: INPUT_LIMITS.baseline, what: `baseline ${file}`, code: 'ERR_BASELINE_UNREADABLE' });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text, and a file named as a baseline may be anything.
    throw new UserError('ERR_BASELINE_INVALID', `baseline ${file} is not valid JSON (${text.length} characters): expected {"version": 1, "findings": [...]} as written by --write-baseline`);
  }
  const findings = (data as Baseline | undefined)?.findings;
  if ((data as Baseline | undefined)?.version !== 1 || !Array.isArray(findings)) {
    throw new UserError('ERR_BASELINE_INVALID', `baseline ${file}: expected {"version": 1, "findings": [...]} as written by --write-baseline`);
  }
  // Exactly what renderBaseline writes, nothing else: a baseline is read, not scanned, so it must have no room for a secret.
  const extra = Object.keys(data as object).find((member) => member !== 'version' && member !== 'findings');
  if (extra !== undefined) throw new UserError('ERR_BASELINE_INVALID', `baseline ${file}: unknown member ${JSON.stringify(extra.slice(0, 40))}; a baseline holds version and findings only`);
  const fingerprints = new Set<string>();
  const entries: BaselineEntry[] = [];
  findings.forEach((entry: unknown, index) => {
    const where = `baseline ${file}: /findings/${index}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new UserError('ERR_BASELINE_INVALID', `${where} must be an object`);
    const record = entry as Record<string, unknown>;
    if (typeof record.fingerprint !== 'string' || !/^[0-9a-f]{32}$/.test(record.fingerprint)) {
      throw new UserError('ERR_BASELINE_INVALID', `${where}/fingerprint must be a 32-character hex fingerprint`);
    }
    for (const [member, value] of Object.entries(record)) {
      const ok = member === 'fingerprint' || (member === 'ruleId' && typeof value === 'string' && /^[a-z][a-z-]{0,63}$/.test(value)) || (member === 'line' && Number.isInteger(value)) || (member === 'file' && typeof value === 'string');
      if (!ok) throw new UserError('ERR_BASELINE_INVALID', `${where}/${JSON.stringify(member.slice(0, 40)).slice(1, -1)}: ${member === 'ruleId' || member === 'line' || member === 'file' ? 'not what --write-baseline writes' : 'unknown member; an entry holds fingerprint, ruleId, file and line only'}`);
    }
    fingerprints.add(record.fingerprint);
    entries.push(record as BaselineEntry);
  });
  return { fingerprints, entries };
}
