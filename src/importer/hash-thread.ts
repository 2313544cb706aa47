import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/start-worker.js';
import type { ContentIdentity } from './content-hash.js';
import { newRing, RingWriter } from './hash-ring.js';

/**
 * The content hasher (content-hash.ts) run in a helper thread, so that hashing a large file
 * overlaps with parsing it instead of adding to it: sha256 is a quarter of a 1 GB .scap
 * import's CPU time. Chunks are copied into shared memory; when the hashing thread falls
 * behind by the whole ring, the importing thread waits for it.
 */
export class ContentHashThread {
  private readonly worker: Worker;
  private readonly writer: RingWriter;
  private readonly result: Promise<ContentIdentity>;

  constructor(probeLengths: number[]) {
    const ring = newRing();
    this.writer = new RingWriter(ring);
    this.worker = startWorker(import.meta.url, './hash-worker', { workerData: { ring, probeLengths } });
    this.result = new Promise((resolve, reject) => {
      this.worker.once('message', (m: ContentIdentity) => resolve({ ...m, checkpoints: Buffer.from(m.checkpoints) }));
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the hashing thread stopped with code ${code}`)));
    });
    // Awaited only when the content was read to its end; an import that fails earlier ends it.
    this.result.catch(() => {});
  }

  /** Why the thread could take no more (it stopped): said by finish, not thrown from a stream's data event. */
  private failure: Error | null = null;

  update(chunk: Buffer): void {
    if (this.failure !== null) return;
    try {
      this.writer.write(chunk);
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
    }
  }

  finish(): Promise<ContentIdentity> {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.writer.close();
    return this.result;
  }

  /** Stops the thread (the import ended before the content did). */
  stop(): void {
    void this.worker.terminate();
  }
}
