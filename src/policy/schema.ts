import { RULES } from '../rules/index.js';
import { SIZE_PATTERN } from './size.js';
import { RECOMMENDED } from './presets.js';
import { DURATION_PATTERN } from './duration.js';

const KNOWN_CURVES = ['P-256', 'P-384', 'P-521', 'secp256k1', 'Ed25519', 'Ed448', 'X25519', 'X448', 'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1'];

/** An algorithm name; `none` (any casing) and `RSA1_5` cannot be allowed. */
const ALGORITHM = {
  type: 'string',
  pattern: '^(?![nN][oO][nN][eE]$)(?!RSA1_5$)[A-Za-z0-9+_-]{1,40}$',
  'x-hint': "an algorithm name such as 'ES256' ('none' and 'RSA1_5' are never allowed)",
};

const SEVERITY_LEVEL = {
  enum: ['error', 'warning', 'note', 'off'],
  'x-hint': "one of 'error', 'warning', 'note' or 'off'",
};

function ruleEntrySchema(rule: (typeof RULES)[number]): Record<string, unknown> {
  const options = rule.meta.options ?? {};
  return {
    description: `${rule.meta.description} Default severity: ${rule.meta.defaultSeverity}.`,
    default: rule.meta.defaultSeverity,
    'x-hint': "a severity ('error', 'warning', 'note', 'off') or an object with 'severity' and the rule's options",
    anyOf: [
      { ...SEVERITY_LEVEL, description: 'Severity of this rule.' },
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          severity: { ...SEVERITY_LEVEL, description: 'Severity of this rule.', default: rule.meta.defaultSeverity },
          ...options,
        },
      },
    ],
  };
}

/** A duration: whole seconds, or a string such as '10m'. */
const DURATION = (description: string, hint: string, minimum: number) => ({
  description,
  'x-hint': hint,
  anyOf: [
    { type: 'integer', minimum },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
});

const GLOBS = (description: string) => ({
  type: 'array',
  description,
  items: { type: 'string', minLength: 1 },
});

type Section = 'files' | 'algorithms' | 'keys' | 'tokens' | 'mint';

/**
 * Each setting's `default` is the `recommended` preset's value (src/policy/presets.ts, the
 * one home of defaults), never written again here. A setting the preset lacks is a bug
 * caught when the schema is generated.
 */
function withDefaults(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties as Record<string, { properties: Record<string, Record<string, unknown>> }>;
  for (const section of ['files', 'algorithms', 'keys', 'tokens', 'mint'] as Section[]) {
    for (const [name, property] of Object.entries(properties[section]!.properties)) {
      const value = (RECOMMENDED[section] as Record<string, unknown>)[name];
      if (value === undefined) throw new Error(`the recommended preset has no value for ${section}.${name}`);
      property.default = value;
    }
  }
  (properties.ignore as unknown as Record<string, unknown>).default = RECOMMENDED.ignore;
  return schema;
}

/** Where the schema is published: its `$id`, and the `$schema` that `jwt-guard init` writes into a starter policy. */
export const SCHEMA_URL = 'https://raw.githubusercontent.com/jwt-guard/jwt-guard/v1/policy.schema.json';

/**
 * The policy's JSON Schema (2020-12). `policy.schema.json` at the repository root is
 * generated from this object (`npm run generate`), and a test keeps the two equal.
 */
export function policySchema(): Record<string, unknown> {
  return withDefaults({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_URL,
    title: 'jwt-guard policy',
    description: 'The policy jwt-guard enforces when it scans, checks and mints. Kept at .github/jwt-guard.json by default.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The JSON Schema this file follows, for editor completion.' },
      extends: {
        description: 'Built-in preset this policy starts from; every other section overrides it. Objects merge key by key, arrays replace.',
        enum: ['recommended', 'strict'],
        default: 'recommended',
        'x-hint': "'recommended' or 'strict'",
      },
      files: {
        type: 'object',
        description: 'Which files are scanned and how.',
        additionalProperties: false,
        properties: {
          include: GLOBS('Globs, relative to the repository root, of files to scan. A file must match one.'),
          exclude: GLOBS('Globs of files never to scan.'),
          logs: GLOBS('Globs of files that are logs: a token there is reported as `token-in-log` rather than `committed-token`.'),
          fixtures: {
            type: 'array',
            description:
              'Test material (fixtures, test vectors, recorded sessions): globs, or objects with `paths` (globs) and the `reason` they are test material. A key or token found there is reported as a note, unless it is production material: a key whose public half is in `keys.trusted` or `tokens.trustedKeys`, or a token whose `iss` is in `tokens.issuers` and that verifies against one of those keys. Production material keeps its severity wherever it sits. What could not be read is never a note.',
            items: {
              'x-hint': "a glob, or an object with 'paths' and 'reason'",
              anyOf: [
                { type: 'string', minLength: 1 },
                {
                  type: 'object',
                  additionalProperties: false,
                  required: ['paths', 'reason'],
                  properties: {
                    paths: { ...GLOBS('Globs of test material.'), minItems: 1 },
                    reason: { type: 'string', minLength: 3, description: 'Why these paths hold test material.' },
                  },
                },
              ],
            },
          },
          maxFileSize: {
            description: "Largest text file to read: a number of bytes, a size such as '100MB' (binary units), or 'none' (the default: text is read in bounded chunks, so no size needs a cap). A larger file is not read and is reported as an incomplete-scan finding, never skipped silently.",
            'x-hint': "'none', a number of bytes or a size such as '100MB'",
            anyOf: [
              { const: 'none' },
              { type: 'integer', minimum: 1 },
              { type: 'string', pattern: SIZE_PATTERN },
            ],
          },
        },
      },
      algorithms: {
        type: 'object',
        description: "Which JOSE `alg` values may appear in JWKs (and, once token rules exist, in token headers). 'none' in any casing and 'RSA1_5' are always denied, whatever this says.",
        additionalProperties: false,
        properties: {
          allow: { type: 'array', description: 'Algorithms that may be used: JWS and JWE alg values, and JWE enc values (A128GCM, A256GCM, A128CBC-HS256...). Most applications need one or two; strict allows asymmetric ones only.', items: ALGORITHM },
          deny: { type: 'array', description: 'Algorithms refused even if allowed.', items: { type: 'string', minLength: 1 } },
        },
      },
      keys: {
        type: 'object',
        description: 'What makes a key strong enough, and which keys are in production.',
        additionalProperties: false,
        properties: {
          minRsaBits: { type: 'integer', minimum: 1024, maximum: 16384, description: 'Smallest RSA modulus, in bits (RFC 7518 3.3; NIST allows 2048 until 2030; strict asks 3072).', 'x-hint': 'a whole number of bits from 1024 to 16384' },
          curves: { type: 'array', description: 'Elliptic curves keys may use. secp256k1 and the brainpool curves only when listed.', items: { enum: KNOWN_CURVES, 'x-hint': `a curve: ${KNOWN_CURVES.join(', ')}` } },
          minHmacBits: { type: 'integer', minimum: 128, maximum: 4096, description: 'Smallest symmetric (oct) key, in bits; never less than the hash of the algorithm the key names (384 for HS384, 512 for HS512; RFC 7518 3.2).', 'x-hint': 'a whole number of bits from 128 to 4096' },
          trusted: GLOBS("Repository paths of JWKS or PEM files holding the organisation's production public keys. A private key found anywhere whose public half is among them is reported as live."),
        },
      },
      tokens: {
        type: 'object',
        description: 'What every token jwt-guard sees (found in files and logs, checked, or minted) must be like.',
        additionalProperties: false,
        properties: {
          maxLifetime: DURATION("Longest allowed lifetime, judged from iat to exp: a duration such as '10m', '1h' or '24h' (strict: 1h).", "a duration such as '10m', '1h30m' or '24h'", 1),
          requiredClaims: { type: 'array', description: 'Claims every token must carry (strict adds iat and jti). RFC 8725 3.9: a token without aud must be rejected.', items: { type: 'string', minLength: 1 } },
          allowedKeyHeaders: {
            type: 'array',
            description: 'Key-carrying headers (jku, x5u, jwk, x5c) a token may have. Each lets the token choose its own key or key URL, so none is allowed by default.',
            items: { enum: ['jku', 'x5u', 'jwk', 'x5c'], 'x-hint': "one of 'jku', 'x5u', 'jwk', 'x5c'" },
          },
          secretClaims: { type: 'array', description: 'Claim names that carry secrets (matched case-insensitively, ignoring _ and -, also as a suffix).', items: { type: 'string', minLength: 1 } },
          personalClaims: { type: 'array', description: 'Claim names that carry personal data.', items: { type: 'string', minLength: 1 } },
          allowPersonalData: { type: 'boolean', description: 'Whether tokens may carry the personal data claims (tokens are signed, not encrypted: anyone holding one can read it).' },
          type: { type: 'string', description: "The typ header checked tokens must carry (for instance 'at+jwt'); any when empty." },
          issuers: { type: 'array', description: 'Issuers (iss) checked tokens may come from; any when empty.', items: { type: 'string', minLength: 1 } },
          audiences: { type: 'array', description: 'Audiences (aud) checked tokens must be meant for; a token without aud is always refused.', items: { type: 'string', minLength: 1 } },
          clockTolerance: DURATION('Clock skew allowed when checking exp, nbf and iat.', "a duration such as '30s' or '2m'", 0),
          trustedKeys: GLOBS('Repository paths of JWKS, JWK, PEM public key or certificate files whose keys verify checked tokens.'),
          jwksUrls: {
            type: 'array',
            description: "JWKS URLs that may be fetched to verify checked tokens. A URL taken from a token's own jku or x5u is never fetched.",
            items: { type: 'string', pattern: '^https?://', 'x-hint': 'an http(s) URL' },
          },
        },
      },
      mint: {
        type: 'object',
        description: 'How jwt-guard mint signs deployment tokens. Minted tokens must also pass the tokens section.',
        additionalProperties: false,
        properties: {
          algorithm: { ...ALGORITHM, description: 'Signing algorithm; it must fit the signing key and be in algorithms.allow.' },
          issuer: { type: 'string', description: 'The iss of minted tokens.' },
          audience: {
            description: 'The aud of minted tokens: one audience or several.',
            'x-hint': 'a string or an array of strings',
            anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string', minLength: 1 } }],
          },
          subject: { type: 'string', description: 'The sub of minted tokens.' },
          type: { type: 'string', minLength: 1, description: 'The typ header of minted tokens.' },
          lifetime: DURATION('How long minted tokens live; capped by tokens.maxLifetime.', "a duration such as '5m' or '10m'", 1),
          claims: { type: 'object', description: 'Static claims added to every minted token.' },
          overridableClaims: {
            type: 'array',
            description: "Claims the claims and audience inputs may set or change. iat, nbf, exp and jti are never overridable, and neither is the algorithm.",
            items: { type: 'string', not: { enum: ['iat', 'nbf', 'exp', 'jti'] }, 'x-hint': 'a claim name other than iat, nbf, exp and jti' },
          },
          allowPlainKey: { type: 'boolean', description: 'Accept an unencrypted signing key (with a warning). Off: keys must arrive encrypted.' },
        },
      },
      rules: {
        type: 'object',
        description: 'Per-rule severity (`error`, `warning`, `note`, `off`) or an object with `severity` and options.',
        additionalProperties: false,
        properties: Object.fromEntries(RULES.map((rule) => [rule.meta.id, ruleEntrySchema(rule)])),
      },
      baseline: {
        type: 'string',
        minLength: 1,
        description: 'A baseline file (a path in the repository, as `jwt-guard scan --write-baseline` and `jwt-guard init --baseline` write it) whose findings are accepted; `--baseline` (or the Action input) overrides it. The file holds fingerprints only, and is read as a baseline rather than scanned.',
      },
      ignore: {
        type: 'array',
        description: 'Findings to accept. Each entry needs a reason and at least one of paths or fingerprints; when several conditions are given, all must match.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          anyOf: [{ required: ['paths'] }, { required: ['fingerprints'] }],
          'x-hint': "an object with 'reason' and at least one of 'paths' or 'fingerprints'",
          properties: {
            paths: { ...GLOBS('Globs of files whose findings are accepted.'), default: [] },
            rules: {
              type: 'array',
              description: 'Rule ids this entry applies to; all rules when absent.',
              items: { enum: RULES.map((rule) => rule.meta.id), 'x-hint': `a rule id: ${RULES.map((r) => r.meta.id).join(', ')}` },
            },
            fingerprints: {
              type: 'array',
              description: "Fingerprints of individual findings (from the JSON or SARIF report).",
              items: { type: 'string', pattern: '^[0-9a-f]{32}$', 'x-hint': 'a 32-character hex fingerprint from a report' },
            },
            reason: { type: 'string', minLength: 3, description: 'Why these findings are acceptable. Shown in the report.' },
          },
        },
      },
    },
  });
}
