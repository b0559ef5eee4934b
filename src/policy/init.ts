import { PRESETS } from './presets.js';

export const SCHEMA_URL = 'https://raw.githubusercontent.com/jwt-guard/jwt-guard/v1/policy.schema.json';

/** The starter policy `jwt-guard init` writes: the preset made explicit, ready to edit. */
export function starterPolicy(preset: 'recommended' | 'strict'): string {
  const document = {
    $schema: SCHEMA_URL,
    extends: preset,
    files: { ...PRESETS.recommended.files },
    rules: { 'private-key': preset === 'strict' ? { severity: 'error', encryptedSeverity: 'error' } : { severity: 'error', encryptedSeverity: 'warning' } },
    ignore: [],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
