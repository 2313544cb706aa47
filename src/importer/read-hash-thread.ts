import { closeSync, openSync } from 'node:fs';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { startWorker } from '../util/start-worker.js';
import type { ContentIdentity } from './content-hash.js';
import { newReadRing, ReadRingConsumer } from './read-ring.js';

/**
 * A plain file hashed by a helper thread that also reads it ahead (read-ring.ts) while the
 * importing thread parses its chunks in place, for a binary reader (CaptureReader.binary),
 * which copies what it keeps: the hashing and most read syscalls leave the parsing thread, which
 * reads a chunk itself only when the helper has not (while the helper starts, for instance).
 *
 * Without probe lengths (`null`) the thread is started ahead of the import, before the case is
 * opened (early-read-thread.ts): it boots, reads ahead and hashes meanwhile, on a core the
 * importing thread leaves idle while it sets up; begin() gives it the lengths later (a digest at
 * a length it has passed is taken from the file again). Until then it does not keep the process
 * alive.
 */
export class ReadingHashThread {
  private readonly worker: Worker;
  private readonly consumer: ReadRingConsumer;
  private readonly result: Promise<ContentIdentity>;

  private readonly fd: number;

  /** For a thread started early: the cell that says the probe lengths were posted, and the port they go to. */
  private readonly later: { go: Int32Array; port: MessagePort } | null = null;

  constructor(path: string, probeLengths: number[] | null) {
    const readRing = newReadRing();
    this.fd = openSync(path, 'r');
    this.consumer = new ReadRingConsumer(readRing, this.fd);
    if (probeLengths === null) {
      const go = new SharedArrayBuffer(4);
      const { port1, port2 } = new MessageChannel();
      this.later = { go: new Int32Array(go), port: port1 };
      this.worker = startWorker(import.meta.url, './hash-worker', { workerData: { readRing, path, later: { go, port: port2 } }, transferList: [port2] });
    } else {
      this.worker = startWorker(import.meta.url, './hash-worker', { workerData: { readRing, path, probeLengths } });
    }
    this.result = new Promise((resolve, reject) => {
      this.worker.once('message', (m: ContentIdentity) => resolve({ ...m, checkpoints: Buffer.from(m.checkpoints) }));
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the reading and hashing thread stopped with code ${code}`)));
    });
    // Awaited only when the content was read to its end; an import that fails earlier ends it.
    this.result.catch(() => {});
    // After the listeners above: a 'message' listener added later would hold the process again.
    if (this.later !== null) this.worker.unref();
  }

  /** A thread started without probe lengths: hashes the content, taking digests at these lengths too. */
  begin(probeLengths: number[]): void {
    const later = this.later;
    if (later === null) throw new Error('this reading thread was given its probe lengths when it started');
    later.port.postMessage(probeLengths);
    Atomics.store(later.go, 0, 1);
    Atomics.notify(later.go, 0);
    this.worker.ref();
  }

  /** The file's chunks in order, each valid until the next is asked for; `whole` once the end was reached. */
  chunks(onChunk: (chunk: Buffer) => void): AsyncIterable<Buffer> & { whole: boolean } {
    const consumer = this.consumer;
    const source = {
      whole: false,
      async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
        for (let chunk = consumer.next(); chunk !== null; chunk = consumer.next()) {
          onChunk(chunk);
          yield chunk;
          consumer.release();
        }
        source.whole = true;
      },
    };
    return source;
  }

  finish(): Promise<ContentIdentity> {
    return this.result;
  }

  private stopped = false;

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.worker.terminate();
    closeSync(this.fd);
  }
}
