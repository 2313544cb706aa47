import { closeSync, openSync, readSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { ParentMessage } from './worker-protocol.js';

/** Bytes per chunk handed to the worker: what the worker's own read stream took at a time. */
const CHUNK_BYTES = 1 << 20;

/** Chunks handed to the worker ahead of its parsing: 8 MiB is ~140 ms of it. */
const CHUNKS_AHEAD = 8;

/**
 * Reads a plain file once, in this thread, and hands each chunk to the import worker (moved, not
 * copied) after `onChunk` has seen it: the worker neither reads nor allocates read buffers, and
 * the file is no longer read a second time for its hash. The worker says when it has taken a
 * chunk (`taken`), and the next one is read and handed over at once, in the same turn: read
 * asynchronously, the next chunk waited for this thread's event loop, which runs only between
 * the batches of rows it inserts, and the worker ran out of chunks while this thread inserted
 * the batches queued for it (300k JSON-lines execs on the shared machine: the worker waited
 * ~1.7 s for chunks). A chunk of the page cache is read in ~0.1 ms.
 */
export class ChunkFeeder {
  private inFlight = 0;
  private fd: number | null = null;
  private stopped = false;
  /** Set once the whole file was handed over. */
  whole = false;

  constructor(
    private readonly worker: Worker,
    private readonly path: string,
    private readonly onChunk: (chunk: Buffer) => void,
  ) {}

  /** Opens the file and hands over the first chunks. */
  start(): void {
    this.fd = openSync(this.path, 'r');
    this.fill();
  }

  /** The worker took a chunk: the next one goes now. */
  taken(): void {
    this.inFlight -= 1;
    this.fill();
  }

  stop(): void {
    this.stopped = true;
    this.close();
  }

  private fill(): void {
    while (this.fd !== null && !this.stopped && this.inFlight < CHUNKS_AHEAD) {
      // Its own memory per chunk: a transferred buffer leaves this thread.
      const memory = Buffer.allocUnsafeSlow(CHUNK_BYTES);
      const bytesRead = readSync(this.fd, memory, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) {
        this.close();
        this.whole = true;
        this.post({ t: 'end' });
        return;
      }
      this.onChunk(memory.subarray(0, bytesRead));
      this.post({ t: 'chunk', data: memory.buffer as ArrayBuffer, length: bytesRead }, [memory.buffer as ArrayBuffer]);
      this.inFlight += 1;
    }
  }

  private close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  private post(m: ParentMessage, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }
}
