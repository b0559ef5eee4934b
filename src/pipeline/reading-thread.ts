import { parentPort } from 'node:worker_threads';
import { lookAt } from '../sources/looks.js';
import { claim, unpackFiles, type FromReader, type ReadWork } from './thread-protocol.js';
import { FileReader } from '../sources/read.js';

/**
 * The reading thread's entry, bundled on its own (dist/<entry>/worker.js) so that it boots
 * in a few milliseconds: it claims runs of files from the shared queue, reads and
 * pre-filters them, and sends back totals and the files that hold an anchor. Decoding,
 * analysis and rules stay on the main thread.
 */
const port = parentPort!;
port.once('message', (work: ReadWork) => {
  try {
    const reader = new FileReader(work.maxFileSize);
    const next = new Int32Array(work.next);
    const files = unpackFiles(work);
    for (let run = claim(next, files.length, work.threads); run; run = claim(next, files.length, work.threads)) {
      // Hits go back bare: the main thread reads each again when it comes to analyse it, so
      // a thread that reads faster than the main thread analyses never piles up their text.
      port.postMessage({ type: 'looked', looked: lookAt(reader, files, run.start, run.end, false) } satisfies FromReader);
    }
    port.postMessage({ type: 'done' } satisfies FromReader);
  } catch (error) {
    port.postMessage({ type: 'error', message: (error as Error)?.message ?? String(error) } satisfies FromReader);
  }
  port.close();
});
