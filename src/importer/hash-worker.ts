import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ContentHasher } from './content-hash.js';
import { drainRing, type RingBuffers } from './hash-ring.js';
import { fillReadRing, type ReadRingBuffers } from './read-ring.js';

/**
 * Hashes the chunks the importing thread copies into the ring (hash-thread.ts), or, given a
 * path, reads the file into a read ring itself and hashes each chunk it reads; then posts the
 * result. A thread started before the case was opened (read-hash-thread.ts, `later`) reads ahead
 * at once but hashes only once it has the probe lengths, which the case decides.
 */
const port = parentPort;
if (!port) throw new Error('hash-worker must run in a worker thread');

interface Later {
  /** Int32 cell set to 1 once the probe lengths were posted on `port`. */
  go: SharedArrayBuffer;
  port: MessagePort;
}

type Job =
  | { ring: RingBuffers; probeLengths: number[] }
  | { readRing: ReadRingBuffers; path: string; probeLengths: number[] }
  | { readRing: ReadRingBuffers; path: string; later: Later };

/** The probe lengths of a thread started early: waits for the importing thread to post them. */
function probeLengthsFrom(later: Later): number[] {
  const go = new Int32Array(later.go);
  while (Atomics.load(go, 0) === 0) Atomics.wait(go, 0, 0, 1000);
  const message = receiveMessageOnPort(later.port);
  // The port would keep this thread alive once its work is done.
  later.port.close();
  if (message === undefined) throw new Error('the probe lengths were announced but not posted');
  return message.message as number[];
}

const job = workerData as Job;
// A file read into the read ring is one a reader takes in chunks (.scap): binary, no lines to count.
const binary = 'readRing' in job;
let hasher: ContentHasher | null = 'probeLengths' in job ? new ContentHasher(job.probeLengths, !binary) : null;
if ('readRing' in job) {
  fillReadRing(job.readRing, job.path, (bytes) => {
    hasher ??= new ContentHasher(probeLengthsFrom((job as { later: Later }).later), false);
    hasher.update(bytes);
  });
} else {
  drainRing(job.ring, (bytes) => (hasher as ContentHasher).update(bytes));
}
port.postMessage((hasher ?? new ContentHasher()).finish());
