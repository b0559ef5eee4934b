import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { WELL_KNOWN_SECRETS } from './data/well-known-secrets.js';

/** The HS* algorithms: their hash, and the length of their signature. */
export const HMAC_ALGS: Readonly<Record<string, { hash: string; bytes: number }>> = {
  HS256: { hash: 'sha256', bytes: 32 },
  HS384: { hash: 'sha384', bytes: 48 },
  HS512: { hash: 'sha512', bytes: 64 },
};

/** How many candidates the screen tries: the bundled well-known secrets. */
export const CANDIDATES = WELL_KNOWN_SECRETS.length;

/** The candidates as node:crypto secret keys, made once per thread (the key is then not prepared again for every HMAC). */
let keys: KeyObject[] | undefined;

/**
 * The index of the first well-known secret in [from, to) whose HMAC (node:crypto) of
 * `input` is `signature`, or -1. A screen only: whoever calls it has jose verify the token
 * with the secret found. Pure, so that ranges of the list can be screened on different
 * threads and give what one thread would.
 */
export function screenSecrets(alg: string, input: Uint8Array, signature: Uint8Array, from = 0, to = CANDIDATES): number {
  const spec = HMAC_ALGS[alg];
  if (!spec || signature.length !== spec.bytes) return -1;
  keys ??= WELL_KNOWN_SECRETS.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
  for (let i = Math.max(0, from); i < Math.min(to, CANDIDATES); i++) {
    if (timingSafeEqual(createHmac(spec.hash, keys[i]!).update(input).digest(), signature)) return i;
  }
  return -1;
}

/**
 * A token's screening shared among threads: the list is cut into chunks, which each thread
 * (the main one and the helpers it asked) claims one at a time from a counter in shared
 * memory, so that all finish within a chunk of each other whatever each was doing when
 * asked. The board, an Int32Array over a SharedArrayBuffer:
 * [0] the next chunk to claim; [1] the first chunk known to hold a match (no thread claims
 * one after it); then each chunk's result: PENDING until its claimer stores what
 * `screenSecrets` returned for it (-1, or the index of the first match), FAILED if that threw.
 */
export const CHUNK = 64;
export const CHUNKS = Math.ceil(CANDIDATES / CHUNK);
const PENDING = -3;
const FAILED = -2;
const NEXT = 0;
const STOP = 1;
const RESULTS = 2;

export function newBoard(): Int32Array {
  const board = new Int32Array(new SharedArrayBuffer(4 * (RESULTS + CHUNKS)));
  board[STOP] = CHUNKS;
  board.fill(PENDING, RESULTS);
  return board;
}

/** Screens one chunk and posts its result; a match stops the claiming of every later chunk. */
function screenChunk(alg: string, input: Uint8Array, signature: Uint8Array, board: Int32Array, chunk: number): void {
  let found: number;
  try {
    found = screenSecrets(alg, input, signature, chunk * CHUNK, (chunk + 1) * CHUNK);
  } catch {
    found = FAILED;
  }
  Atomics.store(board, RESULTS + chunk, found);
  if (found < 0) return;
  for (let stop = Atomics.load(board, STOP); chunk < stop; stop = Atomics.load(board, STOP)) {
    if (Atomics.compareExchange(board, STOP, stop, chunk) === stop) return;
  }
}

/** Claims and screens chunks of the board until none is left to claim (the caller's share, on whichever thread). */
export function screenBoard(alg: string, input: Uint8Array, signature: Uint8Array, board: Int32Array): void {
  for (;;) {
    const chunk = Atomics.add(board, NEXT, 1);
    if (chunk >= CHUNKS || chunk > Atomics.load(board, STOP)) return;
    screenChunk(alg, input, signature, board, chunk);
  }
}

/** Whether a chunk the screening needs is still being screened by another thread. */
export function boardBusy(board: Int32Array): boolean {
  const last = Math.min(CHUNKS - 1, Atomics.load(board, STOP));
  for (let chunk = 0; chunk <= last; chunk++) if (Atomics.load(board, RESULTS + chunk) === PENDING) return true;
  return false;
}

/**
 * What the board's screening found: the index of the first matching candidate, or -1, as
 * `screenSecrets` over the whole list returns. A chunk left pending (its thread stopped)
 * or failed is screened here, now.
 */
export function boardResult(alg: string, input: Uint8Array, signature: Uint8Array, board: Int32Array): number {
  for (let chunk = 0; chunk < CHUNKS && chunk <= Atomics.load(board, STOP); chunk++) {
    let found = Atomics.load(board, RESULTS + chunk);
    if (found === PENDING || found === FAILED) found = screenSecrets(alg, input, signature, chunk * CHUNK, (chunk + 1) * CHUNK);
    if (found >= 0) return found;
  }
  return -1;
}
