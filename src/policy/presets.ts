import { CONTENT_ENCRYPTION, KEY_MANAGEMENT_ASYMMETRIC, KEY_MANAGEMENT_SYMMETRIC, SIGNING_ASYMMETRIC, SIGNING_HMAC } from '../jose/algorithms.js';
import type { CompleteDocument, PolicyDocument } from './types.js';

/** Claim names that carry secrets: matched case-insensitively, ignoring `_` and `-`, also as a suffix (`db_password`). */
export const SECRET_CLAIMS = [
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'client_secret', 'api_key', 'apikey', 'api_secret', 'access_key', 'secret_key',
  'private_key', 'privkey', 'credentials', 'credit_card', 'card_number', 'cvv', 'cvc', 'pin', 'ssn', 'social_security_number',
  'national_id', 'passport_number', 'tax_id', 'iban', 'refresh_token',
];

/** Claim names that carry personal data: reported unless tokens.allowPersonalData. */
export const PERSONAL_CLAIMS = ['email', 'email_address', 'phone', 'phone_number', 'mobile', 'address', 'street_address', 'birthdate', 'date_of_birth', 'dob', 'ip', 'ip_address'];

/** Curves allowed by default: the NIST curves and the Edwards/Montgomery family of RFC 8037. */
export const DEFAULT_CURVES = ['P-256', 'P-384', 'P-521', 'Ed25519', 'Ed448', 'X25519', 'X448'];

/**
 * The built-in `recommended` preset: the one home of every policy default (the rules'
 * severities and options live in their meta). Every policy is merged onto it, the schema's
 * `default`s are read from it, and `init` writes from it.
 */
export const RECOMMENDED: CompleteDocument = {
  files: {
    include: ['**'],
    exclude: ['**/node_modules/**'],
    logs: ['**/*.log', '**/logs/**'],
    fixtures: [],
    maxFileSize: 'none',
  },
  algorithms: {
    allow: [...SIGNING_ASYMMETRIC, ...SIGNING_HMAC, ...KEY_MANAGEMENT_ASYMMETRIC, ...KEY_MANAGEMENT_SYMMETRIC, ...CONTENT_ENCRYPTION],
    deny: [],
  },
  keys: { minRsaBits: 2048, curves: DEFAULT_CURVES, minHmacBits: 256, trusted: [] },
  tokens: {
    maxLifetime: '24h',
    requiredClaims: ['iss', 'aud', 'exp'],
    allowedKeyHeaders: [],
    secretClaims: SECRET_CLAIMS,
    personalClaims: PERSONAL_CLAIMS,
    allowPersonalData: false,
    type: '',
    issuers: [],
    audiences: [],
    clockTolerance: '30s',
    trustedKeys: [],
    jwksUrls: [],
  },
  mint: { algorithm: 'ES256', issuer: '', audience: [], subject: '', type: 'JWT', lifetime: '10m', claims: {}, overridableClaims: ['aud'], allowPlainKey: false },
  rules: {},
  ignore: [],
};

/** The built-in presets. `strict` overrides `recommended` where it is stricter. */
export const PRESETS: Record<'recommended' | 'strict', PolicyDocument> = {
  recommended: RECOMMENDED,
  strict: {
    extends: 'recommended',
    // Asymmetric algorithms only: a shared secret signs as well as it verifies.
    algorithms: { allow: [...SIGNING_ASYMMETRIC, 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW', ...CONTENT_ENCRYPTION] },
    keys: { minRsaBits: 3072 },
    tokens: { maxLifetime: '1h', requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'] },
    rules: {
      'private-key': { severity: 'error', encryptedSeverity: 'error' },
      'insecure-verification': 'error',
    },
  },
};
