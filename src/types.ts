/** Plain data shared by every stage of the pipeline (see docs/architecture.md). */

export type Severity = 'error' | 'warning' | 'note';
export type SeverityLevel = Severity | 'off';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };

export type UnitKind = 'file' | 'log' | 'job-log' | 'input';

/** A source yields text units. */
export interface TextUnit {
  /** Repository-relative path with forward slashes (or a label such as `<stdin>`). */
  path: string;
  kind: UnitKind;
  text: string;
}

export interface Span {
  /** Offsets into the unit's text, end exclusive. */
  start: number;
  end: number;
}

export type ArtifactType = 'pem' | 'openssh' | 'ppk' | 'pgp' | 'jwk' | 'ssh-public' | 'jwt' | 'jwe' | 'der';

/** What a finding is about: an artifact, or (for incomplete-scan) the content of a whole unit or a part of it. */
export type SubjectType = ArtifactType | 'content' | 'code';

/** What a detector found: where, and the raw text. Never decides policy. */
export interface Artifact {
  type: ArtifactType;
  span: Span;
  /** The artifact's text as it stands in the unit (may be escaped or quoted). */
  raw: string;
  /** The PEM or armor label, e.g. `RSA PRIVATE KEY`; for `der`, the structure (`PKCS8`, `PKCS12`, `JKS`…). */
  label?: string;
  /** Canonical form reconstructed by the detector (unescaped PEM, parsed JWK). */
  normalized?: string;
  /** Parsed JSON object for `jwk`. */
  json?: Record<string, unknown>;
  /** For tokens in a URL: the query or fragment parameter that holds it. */
  urlParameter?: string;
  /** Found inside a base64 run (its span is the run's): what the report says it was wrapped in. */
  wrapped?: 'base64';
}

export type KeyEncoding =
  | 'pkcs1'
  | 'sec1'
  | 'pkcs8'
  | 'pkcs8-encrypted'
  | 'pem-encrypted'
  | 'dsa'
  | 'openssh'
  | 'ppk'
  | 'pgp'
  | 'jwk'
  | 'pkcs8-der'
  | 'pkcs1-der'
  | 'sec1-der'
  | 'pkcs12'
  | 'jks'
  | 'jceks'
  | 'spki'
  | 'pkcs1-public'
  | 'x509'
  | 'ssh-public';

/** Non-secret facts about a key. Safe to print. */
export interface KeyFacts {
  kind: 'key';
  private: boolean;
  /** `RSA`, `EC`, `Ed25519`, `Ed448`, `X25519`, `X448`, `DSA`, `DH`, `oct`, `ElGamal`, or `unknown`. */
  keyType: string;
  bits?: number;
  curve?: string;
  encrypted: boolean;
  encoding: KeyEncoding;
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key, when it can be computed. */
  thumbprint?: string;
  /** How `thumbprint` was computed: `jwk-sha256` (RFC 7638) or `spki-sha256` (keys JWK cannot express). */
  thumbprintKind?: 'jwk-sha256' | 'spki-sha256';
  /** False when the key's structure could not be confirmed by node:crypto (reported with lower confidence). */
  confirmed: boolean;
  /** A stable digest identifying this artifact for fingerprints; never reversible to the secret. */
  digest: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it, for OpenSSH and PuTTY keys. */
  sshFingerprint?: string;
  /** The OpenPGP v4 key fingerprint (hex), as `gpg --list-keys` prints it. */
  pgpFingerprint?: string;
  /** The JWK `alg` member, when the key names its algorithm. */
  alg?: string;
  kid?: string;
  /** Subject of an X.509 certificate, whose public key this is. */
  subject?: string;
  /** Issuer of that certificate. */
  issuer?: string;
  /** A key store's contents, as far as they could be seen. */
  store?: KeyStoreFacts;
  /** Why node:crypto could not read a key recognised otherwise (by its algorithm identifier or its JWK members). */
  unreadable?: string;
}

/** What a key store (PKCS#12, JKS, JCEKS) holds, and whether a well-known password opens it. */
export interface KeyStoreFacts {
  format: 'PKCS#12' | 'JKS' | 'JCEKS';
  /** The well-known password that opened it (`''`: none). Only ever one of the bundled defaults. */
  password?: string;
  /** Private key entries; undefined when they cannot be seen without the password. */
  privateKeys?: number;
  secretKeys: number;
  certificates: number;
  /** Why not every well-known password was tried. */
  untried?: string;
}

/** Facts about a JWS or JWE, decoded by jose. Header and claims are untrusted input. */
export interface TokenFacts {
  kind: 'token';
  format: 'jws' | 'jwe';
  header: Record<string, unknown>;
  /** The JWT claims set, when the JWS payload is a JSON object. */
  claims?: Record<string, unknown>;
  alg: string;
  enc?: string;
  /** The first characters of the token (its header), never the payload or the signature. */
  preview: string;
  /** SHA-256 of the token, for fingerprints. */
  digest: string;
  /**
   * Why it cannot be a usable token, when its parts cannot be what its header says (a
   * signature of an impossible length): token-shaped test data, reported as a note by the
   * rules about where a token sits, and judged by no other rule.
   */
  unusable?: string;
  /** Kept for rules that must recompute over the token (weak-secret); never reported. */
  token: string;
}

export type Facts = KeyFacts | TokenFacts;

export interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** The rule's message id (its `meta.messages`): what tests and callers match on. Not in the reports. */
  messageId?: string;
  fingerprint: string;
  /** The artifact's own digest (never shown): what tells the same secret apart in history, where it sits in many blobs. */
  digest?: string;
  /** The artifact described, as its message begins (not in JSON, whose `artifact` holds the facts): what reports group its findings under. */
  subject?: string;
  /** Made a note because it sits in test material (files.fixtures); internal, like the subject. */
  fixture?: true;
  unitKind: UnitKind;
  artifact: { type: SubjectType } & Record<string, unknown>;
  /** For a finding in git history: the commit that introduced it, and what became of it. */
  commit?: CommitInfo;
}

/** Where a secret found in history came from. */
export interface CommitInfo {
  /** The commit that introduced the blob reported (its first commit at that path). */
  sha: string;
  /** That commit's author date, ISO 8601. */
  date: string;
  /** The path that commit introduced it at (the finding's `file` is where HEAD holds it, when it does). */
  path: string;
  /** The commit that first introduced the secret, of all its occurrences. */
  introducedBy: string;
  /** The commit that later removed it from the path reported, if one did. */
  removedBy?: string;
  /** Whether the secret is still in HEAD. */
  inHead: boolean;
  /** How many times it was introduced: one per commit and path, across blobs. */
  occurrences: number;
}

export type SuppressionKind = 'policy' | 'inline' | 'baseline';

export interface SuppressedFinding extends Finding {
  suppressedBy: SuppressionKind;
  /** The reason given (policy ignore entry or inline comment). */
  reason?: string;
}

/**
 * Why a file or unit was not read, or not read completely. The first group is content
 * that was passed over on purpose or is gone: listed, never a finding. The rest are gaps
 * in what the scan read or analysed: each becomes an `incomplete-scan` finding, because
 * a gate must never pass over what it did not read (see INCOMPLETE_REASONS).
 */
export type SkipReason =
  | 'symlink-outside-root'
  | 'symlink-not-followed'
  | 'ignored'
  | 'vanished'
  | 'job-running'
  | 'too-large'
  | 'unreadable'
  | 'partly-scanned'
  | 'analysis-failed'
  | 'budget'
  | 'download-failed'
  | 'baseline';

export const INCOMPLETE_REASONS: ReadonlySet<SkipReason> = new Set(['too-large', 'unreadable', 'partly-scanned', 'analysis-failed', 'budget', 'download-failed']);

export interface SkippedFile {
  file: string;
  reason: SkipReason;
  detail?: string;
  /** Where in the file the gap starts, when it is a part of it (1-based). */
  line?: number;
  column?: number;
  /** The kind of unit, when it is not a repository file (a log from stdin, a job log). */
  unitKind?: UnitKind;
  /** For a gap in the analysis of one artifact: its type. */
  subject?: SubjectType;
}

export interface ScanResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  skipped: SkippedFile[];
  /** Files the paths given hold (before the policy's selection), or blobs the history selected; 0 when none. */
  filesListed?: number;
  /** What was read, when not the files of the paths given: git history, a range of it, or the staged changes. */
  scope?: 'history' | 'range' | 'staged';
  /** Files read and searched. */
  filesScanned: number;
  bytesScanned: number;
  /** Binary files, recognised by content and not searched. */
  binaryFiles: number;
  durationMs: number;
}
