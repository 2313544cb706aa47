import { parentPort, workerData } from 'node:worker_threads';
import { ContentHasher } from './content-hash.js';
import { drainRing, type RingBuffers } from './hash-ring.js';
import { fillReadRing, type ReadRingBuffers } from './read-ring.js';

/**
 * Hashes the chunks the importing thread copies into the ring (hash-thread.ts), or, given a
 * path, reads the file into a read ring itself and hashes each chunk it reads; then posts the result.
 */
const port = parentPort;
if (!port) throw new Error('hash-worker must run in a worker thread');
const job = workerData as { ring: RingBuffers; probeLengths: number[] } | { readRing: ReadRingBuffers; path: string; probeLengths: number[] };
const hasher = new ContentHasher(job.probeLengths);
if ('readRing' in job) {
  fillReadRing(job.readRing, job.path, (bytes) => hasher.update(bytes));
} else {
  drainRing(job.ring, (bytes) => hasher.update(bytes));
}
port.postMessage(hasher.finish());
