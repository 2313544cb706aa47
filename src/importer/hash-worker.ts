import { parentPort, workerData } from 'node:worker_threads';
import { ContentHasher } from './content-hash.js';
import { drainRing, type RingBuffers } from './hash-ring.js';

/** Hashes the chunks the importing thread copies into the ring (hash-thread.ts), then posts the result. */
const port = parentPort;
if (!port) throw new Error('hash-worker must run in a worker thread');
const job = workerData as { ring: RingBuffers; probeLengths: number[] };
const hasher = new ContentHasher(job.probeLengths);
drainRing(job.ring, (bytes) => hasher.update(bytes));
port.postMessage(hasher.finish());
