/**
 * Files generated from the code's own metadata (scripts/generated.ts): each must be what
 * the code makes of it now. `npm run generate` rewrites them.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { generatedFiles } from '../scripts/generated.js';

const files = await generatedFiles();

describe('generated files are current (npm run generate)', () => {
  for (const [file, expected] of Object.entries(files)) {
    it(`${file} is what the code generates`, () => {
      expect(readFileSync(file, 'utf8')).toBe(expected);
    });
  }
});
