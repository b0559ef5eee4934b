import { randomBytes } from 'node:crypto';
import { compactVerify } from 'jose';
import { describeToken } from '../analyze/describe.js';
import { isWellKnownSecret, secretSource, WELL_KNOWN_SECRETS } from './data/well-known-secrets.js';
import { boardBusy, boardResult, HMAC_ALGS, newBoard, screenBoard, screenSecrets } from './secret-screen.js';
import type { Rule, RuleReport } from './types.js';
import { es256, hs256 } from './example-material.js';

/**
 * Threads that can screen the well-known secrets at the same time as this one (the scan's
 * helper threads, see pipeline/scan-files.ts `ThreadPool`), sharing a board of chunks
 * (secret-screen.ts `newBoard`).
 */
export interface ScreenHelpers {
  /** How many helpers are free now; `ahead`: for a screening started ahead of need, which starts no helper that is not running. */
  idle(ahead?: boolean): number;
  /**
   * Has each free helper claim and screen chunks of the board (`screenBoard`); resolves
   * once each has stopped claiming, or stopped. A chunk a helper claimed and did not finish
   * stays pending, for the caller to screen.
   */
  share(alg: string, input: Uint8Array, signature: Uint8Array, board: SharedArrayBuffer): Promise<void>;
}

/** The scan's memo key for a token's screening, by the token's digest (`TokenFacts.digest`, a SHA-256 of the token). */
export const screeningKey = (digest: string): string => `weak-secret\0${digest}`;

/** What screening a token signed with `alg` reads: its signing input and signature; undefined when it cannot be an HS* signature. */
function screenable(token: string, alg: string): { input: Uint8Array; signature: Uint8Array } | undefined {
  const spec = HMAC_ALGS[alg];
  const parts = token.split('.');
  if (!spec || parts.length !== 3 || !parts[2]) return undefined;
  const signature = Buffer.from(parts[2], 'base64url');
  if (signature.length !== spec.bytes) return undefined;
  return { input: Buffer.from(`${parts[0]}.${parts[1]}`), signature };
}

/** A board the free helpers have been asked to screen, and their answer. */
interface SharedScreening {
  board: Int32Array;
  shared: Promise<void>;
}

function startSharing(helpers: ScreenHelpers, alg: string, input: Uint8Array, signature: Uint8Array): SharedScreening {
  const board = newBoard();
  return { board, shared: helpers.share(alg, input, signature, board.buffer as SharedArrayBuffer) };
}

/**
 * This thread's part of a shared screening: it claims chunks until none is left, and waits
 * only for a chunk still being screened elsewhere (a helper that has not yet started, or is
 * starting, finds nothing left).
 */
async function finishSharing(alg: string, input: Uint8Array, signature: Uint8Array, { board, shared }: SharedScreening): Promise<number> {
  screenBoard(alg, input, signature, board);
  if (boardBusy(board)) await shared;
  return boardResult(alg, input, signature, board);
}

/**
 * The well-known secret an HS* token was signed with, if any. node:crypto's HMAC screens
 * the bundled list (a fixed number of candidates, so the time per token is bounded), shared
 * among this thread and the free helpers (joining the board they started on ahead of it,
 * if they did); the first candidate that matches is then verified by jose, which alone
 * decides.
 */
export async function findWellKnownSecret(token: string, alg: string, helpers?: ScreenHelpers): Promise<string | undefined> {
  const screening = screenable(token, alg);
  if (!screening) return undefined;
  const { input, signature } = screening;
  const started = helpers && startedAhead.get(helpers);
  const early = started?.get(token);
  if (early) started!.delete(token);
  const sharing = early?.alg === alg ? early : helpers && helpers.idle() > 0 ? startSharing(helpers, alg, input, signature) : undefined;
  const found = sharing ? await finishSharing(alg, input, signature, sharing) : screenSecrets(alg, input, signature);
  if (found < 0) return undefined;
  const secret = WELL_KNOWN_SECRETS[found]!;
  try {
    await compactVerify(token, Buffer.from(secret, 'utf8'), { algorithms: [alg] });
    return secret;
  } catch {
    return undefined;
  }
}

/** Screenings started ahead of the rule, per scan's helpers, by token (a few at most: one left unclaimed costs only a helper's time). */
const startedAhead = new WeakMap<ScreenHelpers, Map<string, SharedScreening & { alg: string }>>();
const MAX_AHEAD = 4;

/**
 * Starts the free helpers screening an HS* token before the rule comes to it (scanUnit
 * calls this for the next token while this thread analyses what comes before it): when the
 * rule does, this thread joins the board, mostly or wholly screened by then. Only the time
 * changes: the verdict is the board's, as it would be if screened then. A token the
 * budget then refuses, or the memo already holds, leaves its board to be forgotten.
 * False when no helper was free (worth asking again later), true otherwise.
 */
export function screenAhead(token: string, helpers: ScreenHelpers): boolean {
  let started = startedAhead.get(helpers);
  if (started?.has(token)) return true;
  if (helpers.idle(true) === 0) return false;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > 4096) return true;
  let alg: unknown;
  try {
    alg = (JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as { alg?: unknown })?.alg;
  } catch {
    return true;
  }
  const screening = typeof alg === 'string' ? screenable(token, alg) : undefined;
  if (!screening) return true;
  if (!started) startedAhead.set(helpers, (started = new Map()));
  started.set(token, { alg: alg as string, ...startSharing(helpers, alg as string, screening.input, screening.signature) });
  if (started.size > MAX_AHEAD) started.delete(started.keys().next().value!);
  return true;
}

/** A secret of 48 random-looking characters, for the example that passes. */
const EXAMPLE_SECRET = 'q7Vw2LxN9pR4tZ8mK3cF6hJ1sD5gB0aY-example-secret';


export const weakSecret: Rule = {
  meta: {
    id: 'weak-secret',
    description: 'An HS256/384/512 token whose signature verifies with a well-known or short secret, tried offline from a bundled list.',
    defaultSeverity: 'error',
    securitySeverity: 9.0,
    help: [
      'An HMAC-signed token is only as strong as its secret. One signed with a well-known secret (`secret`, `your-256-bit-secret`, framework defaults, common passwords) or a secret shorter than its hash is forgeable by anyone: they can mint tokens with any claims.',
      '',
      'jwt-guard tries a bundled list of well-known secrets offline (see THIRD_PARTY_NOTICES.md for its sources); it never contacts anything, and never prints the secret.',
      '',
      '**What to do:** rotate the secret now to a random value at least as long as the hash (32 bytes for HS256, 48 for HS384, 64 for HS512), from a secret store; better, move to an asymmetric algorithm (ES256, EdDSA) so verifiers cannot sign.',
    ].join('\n'),
    messages: {
      wellKnown: '{token} is signed with a well-known secret ({source}): anyone can forge tokens this verifier accepts. Rotate the secret to {bytes} random bytes from a secret store.',
      wellKnownShort: '{token} is signed with a well-known secret ({source}) and only {length} bytes long, shorter than the {bytes} {alg} needs: anyone can forge tokens this verifier accepts. Rotate the secret to {bytes} random bytes from a secret store.',
      givenWellKnown: 'the HMAC secret given to check it with is a well-known secret ({source}): anyone can forge tokens that verify with it. Rotate it to {bytes} random bytes',
      givenShort: 'the HMAC secret given to check it with is {bits} bits, under the {needed} that {why} needs: short secrets are found by brute force',
    },
  },
  async check({ facts, budget }): Promise<RuleReport[]> {
    if (facts.kind !== 'token' || facts.format !== 'jws' || !HMAC_ALGS[facts.alg]) return [];
    // Once per distinct token in the scan, within the budget; a token past it is counted as a gap.
    const secret = await budget.once('weak-secret', screeningKey(facts.digest), () => findWellKnownSecret(facts.token, facts.alg, budget.scan.helpers), () => undefined);
    if (secret === undefined) return [];
    const spec = HMAC_ALGS[facts.alg]!;
    const length = Buffer.byteLength(secret);
    const data = { token: describeToken(facts), source: secretSource(secret), bytes: spec.bytes, alg: facts.alg, length };
    return [{ messageId: length < spec.bytes ? 'wellKnownShort' : 'wellKnown', data }];
  },
  /**
   * A checked HS* token proves nothing when the secret it verifies with is one anyone
   * could use: a well-known secret, or one shorter than keys.minHmacBits or the hash.
   */
  verifyHeader({ facts, policy, hmacSecret }): RuleReport | undefined {
    const spec = HMAC_ALGS[facts.alg];
    if (!hmacSecret || !spec) return undefined;
    const hashBits = spec.bytes * 8;
    const needed = Math.max(policy.keys.minHmacBits, hashBits);
    const text = new TextDecoder().decode(hmacSecret);
    if (isWellKnownSecret(text)) return { messageId: 'givenWellKnown', data: { source: secretSource(text), bytes: needed / 8 } };
    if (hmacSecret.length * 8 < needed) return { messageId: 'givenShort', data: { bits: hmacSecret.length * 8, needed, why: needed === hashBits ? facts.alg : 'keys.minHmacBits' } };
    return undefined;
  },
  examples: {
    valid: [
      { name: 'an HS256 token signed with a random secret', text: () => hs256(randomBytes(32).toString('base64url')) },
      { name: 'an ES256 token', text: () => es256() },
      { name: 'a checked token whose secret is long and random', mode: 'verify', text: () => hs256(EXAMPLE_SECRET), hmacSecret: EXAMPLE_SECRET },
    ],
    invalid: [
      { name: "an HS256 token signed with 'secret'", text: () => hs256('secret'), messageId: 'wellKnownShort' },
      { name: 'a token signed with a tutorial secret', text: () => hs256('your-256-bit-secret'), messageId: 'wellKnownShort' },
      { name: "a token signed with Supabase's local development secret (long enough, and known to all)", text: () => hs256('super-secret-jwt-token-with-at-least-32-characters-long'), messageId: 'wellKnown' },
      { name: "a token signed with the secret of NestJS's documentation", text: () => hs256('DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE CODE.'), messageId: 'wellKnown' },
      { name: "a checked token verified with 'secret'", mode: 'verify', text: () => hs256('secret'), hmacSecret: 'secret', messageId: 'givenWellKnown' },
      { name: 'a checked token verified with a 16-byte secret', mode: 'verify', text: () => hs256('sixteen-byte-key'), hmacSecret: 'sixteen-byte-key', messageId: 'givenShort' },
    ],
  },
};

