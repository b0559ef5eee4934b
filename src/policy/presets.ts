import { KEY_MANAGEMENT_ASYMMETRIC, KEY_MANAGEMENT_SYMMETRIC, SIGNING_ASYMMETRIC, SIGNING_HMAC } from '../rules/algorithms.js';
import type { PolicyDocument } from './types.js';

/** Curves allowed by default: the NIST curves and the Edwards/Montgomery family of RFC 8037. */
export const DEFAULT_CURVES = ['P-256', 'P-384', 'P-521', 'Ed25519', 'Ed448', 'X25519', 'X448'];

/** The built-in presets. Every default lives here or in the rules' meta, and the schema says the same. */
export const PRESETS: Record<'recommended' | 'strict', PolicyDocument> = {
  recommended: {
    files: {
      include: ['**'],
      exclude: ['**/node_modules/**'],
      logs: ['**/*.log', '**/logs/**'],
      maxFileSize: '10MB',
    },
    algorithms: {
      allow: [...SIGNING_ASYMMETRIC, ...SIGNING_HMAC, ...KEY_MANAGEMENT_ASYMMETRIC, ...KEY_MANAGEMENT_SYMMETRIC],
      deny: [],
    },
    keys: { minRsaBits: 2048, curves: DEFAULT_CURVES, minHmacBits: 256, trusted: [] },
    rules: {},
    ignore: [],
  },
  strict: {
    extends: 'recommended',
    // Asymmetric algorithms only: a shared secret signs as well as it verifies.
    algorithms: { allow: [...SIGNING_ASYMMETRIC, 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'] },
    keys: { minRsaBits: 3072 },
    rules: {
      'private-key': { severity: 'error', encryptedSeverity: 'error' },
    },
  },
};
