import type { Severity, SeverityLevel } from '../types.js';

/** A policy as written in JSON (every field optional). */
export interface PolicyDocument {
  $schema?: string;
  extends?: 'recommended' | 'strict';
  files?: {
    include?: string[];
    exclude?: string[];
    logs?: string[];
    fixtures?: Array<string | FixtureEntry>;
    maxFileSize?: string | number;
  };
  algorithms?: { allow?: string[]; deny?: string[] };
  keys?: { minRsaBits?: number; curves?: string[]; minHmacBits?: number; trusted?: string[] };
  tokens?: {
    maxLifetime?: string | number;
    requiredClaims?: string[];
    allowedKeyHeaders?: string[];
    secretClaims?: string[];
    personalClaims?: string[];
    allowPersonalData?: boolean;
    type?: string;
    issuers?: string[];
    audiences?: string[];
    clockTolerance?: string | number;
    trustedKeys?: string[];
    jwksUrls?: string[];
  };
  mint?: {
    algorithm?: string;
    issuer?: string;
    audience?: string | string[];
    subject?: string;
    type?: string;
    lifetime?: string | number;
    claims?: Record<string, unknown>;
    overridableClaims?: string[];
    allowPlainKey?: boolean;
  };
  rules?: Record<string, SeverityLevel | ({ severity?: SeverityLevel } & Record<string, unknown>)>;
  ignore?: IgnoreEntry[];
  /** The baseline file (repository path) whose findings are accepted: what `init --baseline` writes. */
  baseline?: string;
}

/** A `files.fixtures` entry with the reason its paths are test material (what `init --baseline` writes). */
export interface FixtureEntry {
  paths: string[];
  reason: string;
}

/** Every section of a policy document with every value present: what the `recommended` preset is, and what merging onto it yields. */
export type CompleteDocument = {
  [S in 'files' | 'algorithms' | 'keys' | 'tokens' | 'mint']-?: Required<NonNullable<PolicyDocument[S]>>;
} & { rules: NonNullable<PolicyDocument['rules']>; ignore: IgnoreEntry[]; baseline?: string };

export interface IgnoreEntry {
  paths?: string[];
  rules?: string[];
  fingerprints?: string[];
  reason: string;
}

export interface RuleSetting {
  severity: SeverityLevel;
  options: Record<string, unknown>;
}

/** A resolved policy: presets merged, defaults filled in, sizes parsed. */
export interface Policy {
  /** Where it came from: a file path, or `built-in recommended`. */
  source: string;
  files: {
    include: string[];
    exclude: string[];
    logs: string[];
    /** Test material: keys and tokens found here are notes, unless production material. */
    fixtures: string[];
    maxFileSize: number;
  };
  algorithms: { allow: string[]; deny: string[] };
  keys: { minRsaBits: number; curves: string[]; minHmacBits: number; trusted: string[] };
  tokens: {
    /** Seconds. */
    maxLifetime: number;
    requiredClaims: string[];
    allowedKeyHeaders: string[];
    secretClaims: string[];
    personalClaims: string[];
    allowPersonalData: boolean;
    /** Expected `typ` of checked tokens, if any. */
    type?: string;
    issuers: string[];
    audiences: string[];
    /** Seconds. */
    clockTolerance: number;
    trustedKeys: string[];
    jwksUrls: string[];
  };
  mint: {
    algorithm: string;
    issuer: string;
    audience: string[];
    subject: string;
    type: string;
    /** Seconds. */
    lifetime: number;
    claims: Record<string, unknown>;
    overridableClaims: string[];
    allowPlainKey: boolean;
  };
  rules: Record<string, RuleSetting>;
  ignore: IgnoreEntry[];
  /** The baseline file the policy names (a repository path), if any. */
  baseline?: string;
}

export type { Severity };
