import { resolvePolicy } from './load.js';
import { PRESETS } from './presets.js';
import { SCHEMA_URL } from './schema.js';
import type { IgnoreEntry, PolicyDocument } from './types.js';

export { SCHEMA_URL };

/**
 * The starter policy `jwt-guard init` writes: the preset made explicit where a team is
 * likely to edit it (the files it scans, the private-key rule), every value read from the
 * preset itself.
 */
export function starterPolicy(preset: 'recommended' | 'strict'): string {
  return policyText(starterDocument(preset));
}

/** The starter policy as a document, for `init --baseline` to add to. */
export function starterDocument(preset: 'recommended' | 'strict') {
  const privateKey = resolvePolicy(PRESETS[preset], `built-in ${preset}`).rules['private-key']!;
  return {
    $schema: SCHEMA_URL,
    extends: preset,
    files: { ...PRESETS.recommended.files } as NonNullable<PolicyDocument['files']>,
    rules: { 'private-key': { severity: privateKey.severity, ...privateKey.options } },
    ignore: [] as IgnoreEntry[],
  } satisfies PolicyDocument;
}

/** A policy document as init writes it: two-space JSON and a final line break. */
export const policyText = (document: PolicyDocument): string => `${JSON.stringify(document, null, 2)}\n`;
