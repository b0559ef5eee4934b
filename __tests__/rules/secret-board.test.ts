/**
 * A token's weak-secret screening shared among threads through a board of chunks: whatever
 * each thread did with the chunks it claimed (finished them, died on them, failed), the
 * result is the first matching candidate, as one thread screening the whole list finds.
 */
import { describe, expect, it } from '@jest/globals';
import { boardBusy, boardResult, CANDIDATES, CHUNK, CHUNKS, newBoard, screenBoard, screenSecrets } from '../../src/rules/secret-screen.js';
import { WELL_KNOWN_SECRETS } from '../../src/rules/data/well-known-secrets.js';
import * as t from '../helpers/tokens.js';

/** The signing input and signature of an HS256 token. */
function parts(token: string): [Uint8Array, Uint8Array] {
  const [header, payload, signature] = token.split('.');
  return [Buffer.from(`${header}.${payload}`), Buffer.from(signature!, 'base64url')];
}

describe('the screening board', () => {
  const picks = [0, CHUNK - 1, CHUNK, 5 * CHUNK + 7, CANDIDATES - 1];

  it('finds what one thread finds, whichever chunks other threads left pending or failed', async () => {
    for (const index of picks) {
      const [input, signature] = parts(await t.hmac(WELL_KNOWN_SECRETS[index]!, t.goodClaims()));
      const alone = screenSecrets('HS256', input, signature);
      expect(alone).toBe(index);
      for (const claimedElsewhere of [0, 1, 3, CHUNKS]) {
        for (const fate of ['died', 'failed'] as const) {
          const board = newBoard();
          // Another thread claimed the first chunks, then died on them (pending) or failed on each.
          for (let i = 0; i < claimedElsewhere; i++) {
            const chunk = Atomics.add(board, 0, 1);
            if (fate === 'failed') Atomics.store(board, 2 + chunk, -2);
          }
          screenBoard('HS256', input, signature, board);
          expect({ index, claimedElsewhere, fate, busy: boardBusy(board) }).toEqual({ index, claimedElsewhere, fate, busy: fate === 'died' && claimedElsewhere > 0 });
          expect({ index, claimedElsewhere, fate, found: boardResult('HS256', input, signature, board) }).toEqual({ index, claimedElsewhere, fate, found: index });
        }
      }
    }
  });

  it('stops claiming after the chunk that holds a match, and finds nothing where nothing matches', async () => {
    const [input, signature] = parts(await t.hmac(WELL_KNOWN_SECRETS[CHUNK + 3]!, t.goodClaims()));
    const board = newBoard();
    screenBoard('HS256', input, signature, board);
    expect(Atomics.load(board, 1)).toBe(1); // the match's chunk
    expect(Atomics.load(board, 0)).toBe(3); // claimed chunks 0 and 1, then one past the stop
    expect(boardResult('HS256', input, signature, board)).toBe(CHUNK + 3);
    const [other, random] = parts(await t.hmac(Buffer.alloc(32, 7), t.goodClaims()));
    const empty = newBoard();
    screenBoard('HS256', other, random, empty);
    expect(boardBusy(empty)).toBe(false);
    expect(boardResult('HS256', other, random, empty)).toBe(-1);
  });
});
