import { resolvePolicy } from './load.js';
import { PRESETS } from './presets.js';
import { SCHEMA_URL } from './schema.js';

export { SCHEMA_URL };

/**
 * The starter policy `jwt-guard init` writes: the preset made explicit where a team is
 * likely to edit it (the files it scans, the private-key rule), every value read from the
 * preset itself.
 */
export function starterPolicy(preset: 'recommended' | 'strict'): string {
  const privateKey = resolvePolicy(PRESETS[preset], `built-in ${preset}`).rules['private-key']!;
  const document = {
    $schema: SCHEMA_URL,
    extends: preset,
    files: { ...PRESETS.recommended.files },
    rules: { 'private-key': { severity: privateKey.severity, ...privateKey.options } },
    ignore: [],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
