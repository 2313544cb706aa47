import { closeSync, openSync, readSync } from 'node:fs';
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ContentHasher } from './content-hash.js';
import { drainRing, type RingBuffers } from './hash-ring.js';
import { fillReadRing, type ReadRingBuffers } from './read-ring.js';

/**
 * Hashes the chunks the importing thread copies into the ring (hash-thread.ts), or, given a
 * path, reads the file into a read ring itself and hashes each chunk it reads; then posts the
 * result. A thread started before the case was opened (read-hash-thread.ts, `later`) reads and
 * hashes at once; the probe lengths, which the case decides, come later.
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

/**
 * The probe lengths of a thread started early, once the importing thread has posted them (null
 * before that), or with `wait` once it does.
 */
function postedProbeLengths(later: Later, wait: boolean): number[] | null {
  const go = new Int32Array(later.go);
  if (!wait && Atomics.load(go, 0) === 0) return null;
  while (Atomics.load(go, 0) === 0) Atomics.wait(go, 0, 0, 1000);
  const message = receiveMessageOnPort(later.port);
  // The port would keep this thread alive once its work is done.
  later.port.close();
  if (message === undefined) throw new Error('the probe lengths were announced but not posted');
  return message.message as number[];
}

/** The digests of a plain file's first n bytes, for each of these lengths: the file read again from its start. */
function prefixProbes(path: string, lengths: number[]): Map<number, string> {
  const hasher = new ContentHasher(lengths, false);
  const end = Math.max(...lengths);
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    while (hasher.bytes < end) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, end - hasher.bytes), hasher.bytes);
      if (n === 0) break;
      hasher.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hasher.finish().probes;
}

const job = workerData as Job;
if ('readRing' in job) {
  // A file read into the read ring is one a reader takes in chunks (.scap): binary, no lines to
  // count. A thread started early hashes from the first chunk on, before the case has said which
  // lengths to take digests at: those it has passed by then are hashed again from the file.
  const { readRing, path } = job;
  const hasher = new ContentHasher('probeLengths' in job ? job.probeLengths : [], false);
  let later = 'later' in job ? job.later : null;
  const learnProbeLengths = (wait: boolean): void => {
    const lengths = later === null ? null : postedProbeLengths(later, wait);
    if (lengths === null) return;
    hasher.addProbes(lengths, (passed) => prefixProbes(path, passed));
    later = null;
  };
  fillReadRing(readRing, path, (bytes) => {
    learnProbeLengths(false);
    hasher.update(bytes);
  });
  learnProbeLengths(true);
  port.postMessage(hasher.finish());
} else {
  const hasher = new ContentHasher(job.probeLengths);
  drainRing(job.ring, (bytes) => hasher.update(bytes));
  port.postMessage(hasher.finish());
}
