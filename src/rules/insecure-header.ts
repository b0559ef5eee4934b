import { describeToken } from '../analyze/describe.js';
import { ecKey, es256, publicJwk, unsignedShape } from './example-material.js';
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
 * Path traversal, quoting and command characters in a kid, and an SQL comment (`--` beside
 * white space: base64url kids such as RFC 7638 thumbprints hold bare `--` by chance).
 */
const KID_CHARACTERS = /\.\.|[/\\'"`;|&$<>\u0000]|--\s|\s--/;
/** SQL in a kid: keywords in the order an injection writes them, on white-space-separated words. */
const SQL_SHAPES = [['union', 'select'], ['select', 'from'], ['drop', 'table'], ['or', '1=1']];

function kidLooksInjected(kid: string): boolean {
  if (KID_CHARACTERS.test(kid)) return true;
  const words = kid.toLowerCase().split('=').map((part) => part.trim()).join('=').split(/\s+/);
  return SQL_SHAPES.some(([first, second]) => {
    const at = words.indexOf(first!);
    return at !== -1 && words.indexOf(second!, at + 1) !== -1;
  });
}

/** Every reason a token's header is unsafe. */
export function headerProblems(header: Record<string, unknown>, allowedKeyHeaders: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [name, why] of Object.entries(KEY_HEADERS)) {
    if (header[name] !== undefined && !allowedKeyHeaders.includes(name)) problems.push(`${why}; not in tokens.allowedKeyHeaders`);
  }
  if (typeof header.kid === 'string' && (header.kid.length > 1024 || kidLooksInjected(header.kid))) problems.push('kid holds path, quote, command or SQL characters (or is over 1024 characters long), the shape of an injection attempt against key lookup');
  if (header.crit !== undefined) {
    const crit = Array.isArray(header.crit) ? header.crit : [header.crit];
    const unknown = crit.filter((entry) => typeof entry !== 'string' || !UNDERSTOOD_CRIT.has(entry));
    if (unknown.length > 0 || crit.length === 0) problems.push(`crit lists ${unknown.length > 0 ? unknown.map((u) => `'${String(u).slice(0, 40)}'`).join(', ') : 'nothing'}, which verifiers must refuse unless they understand it (RFC 7515 4.1.11)`);
  }
  if (header.zip !== undefined) problems.push('zip compresses before encrypting, which leaks plaintext through length (RFC 8725 3.6)');
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
    description: 'A token header with jku, x5u, jwk or x5c not allowed by policy, a kid shaped like an injection, an unknown crit, zip, or weak PBES2 parameters.',
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
    ],
    invalid: [
      { name: 'a token that names its own key URL', text: () => unsignedShape({ alg: 'RS256', jku: 'https://attacker.example/jwks.json' }), messageId: 'unsafe' },
      { name: 'an embedded jwk', text: () => unsignedShape({ alg: 'ES256', jwk: publicJwk(ecKey()) }), messageId: 'unsafe' },
      { name: 'a kid shaped like path traversal', text: () => unsignedShape({ alg: 'HS256', kid: '../../dev/null' }), messageId: 'unsafe' },
      { name: 'a kid shaped like SQL', text: () => unsignedShape({ alg: 'HS256', kid: "x' UNION SELECT 'key" }), messageId: 'unsafe' },
      { name: 'an unknown crit', text: () => unsignedShape({ alg: 'ES256', crit: ['exp'], exp: 1 }), messageId: 'unsafe' },
      { name: 'a checked token with an embedded jwk', mode: 'verify', text: () => es256(undefined, { jwk: publicJwk(ecKey()) }), messageId: 'refused' },
    ],
  },
};
