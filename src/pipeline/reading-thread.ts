import { parentPort } from 'node:worker_threads';
import { lookAt } from '../sources/looks.js';
import { claim, unpackFiles, type FromHelper, type ReadWork, type ToHelper } from './thread-protocol.js';
import { FileReader } from '../sources/read.js';
import { screenBoard } from '../rules/secret-screen.js';
import { analyzeCode } from '../code/index.js';
import { languageById } from '../code/languages.js';

/**
 * The helper thread's entry, bundled on its own (dist/<entry>/worker.js) so that it boots
 * in a few milliseconds. Given a scan's files, it claims runs of them from the shared
 * queue, reads and pre-filters them, and sends back totals and the files that hold an
 * anchor; decoding, analysis and rules stay on the main thread. Between and after, it
 * screens chunks of the well-known secrets for the weak-secret rule and runs the code
 * checks of source files the main thread hands it. It lives until the scan terminates it.
 */
const port = parentPort!;
const send = (message: FromHelper) => port.postMessage(message);

function read(work: ReadWork): void {
  try {
    const reader = new FileReader(work.maxFileSize);
    const next = new Int32Array(work.next);
    const files = unpackFiles(work);
    for (let run = claim(next, files.length, work.threads); run; run = claim(next, files.length, work.threads)) {
      // Hits go back bare: the main thread reads each again when it comes to analyse it, so
      // a thread that reads faster than the main thread analyses never piles up their text.
      send({ type: 'looked', looked: lookAt(reader, files, run.start, run.end, false) });
    }
    send({ type: 'done' });
  } catch (error) {
    send({ type: 'error', message: (error as Error)?.message ?? String(error) });
  }
}

/** The code checks of one source file, as the main thread would run them (a failure is the main thread's to run again). */
async function code(message: Extract<ToHelper, { type: 'code' }>): Promise<void> {
  let analysis;
  try {
    const language = languageById(message.language);
    if (language) analysis = await analyzeCode(message.path, message.text, language);
  } catch {
    analysis = undefined;
  }
  send({ type: 'coded', id: message.id, ...(analysis ? { analysis } : {}) });
}

port.on('message', (message: ToHelper) => {
  if (message.type === 'read') return read(message.work);
  if (message.type === 'code') return void code(message);
  // Chunk by chunk, each result on the board (a chunk that fails is marked so, and the main thread screens it).
  screenBoard(message.alg, message.input, message.signature, new Int32Array(message.board));
  Atomics.store(new Int32Array(message.finished), 0, message.id); // free again, before the main thread reads this
  send({ type: 'screened', id: message.id });
});
