import { open } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import type { ParentMessage } from './worker-protocol.js';

/** Bytes per chunk handed to the worker: what the worker's own read stream took at a time. */
const CHUNK_BYTES = 1 << 20;

/**
 * Chunks read ahead of the worker. The importing thread reads between inserting batches (each
 * a few tens of ms); 8 MiB is ~140 ms of the worker's parsing, so it does not wait for bytes.
 */
const CHUNKS_AHEAD = 8;

/**
 * Reads a plain file once, in this thread, and hands each chunk to the import worker (moved, not
 * copied) after `onChunk` has seen it: the worker neither reads nor allocates read buffers, and
 * the file is no longer read a second time for its hash. The worker says when it has taken a
 * chunk (`taken`), so at most CHUNKS_AHEAD are in flight.
 */
export class ChunkFeeder {
  private inFlight = 0;
  private wake: (() => void) | null = null;
  private stopped = false;
  /** Set once the whole file was handed over. */
  whole = false;

  constructor(
    private readonly worker: Worker,
    private readonly path: string,
    private readonly onChunk: (chunk: Buffer) => void,
  ) {}

  /** The worker took a chunk. */
  taken(): void {
    this.inFlight -= 1;
    this.resume();
  }

  stop(): void {
    this.stopped = true;
    this.resume();
  }

  async run(): Promise<void> {
    const file = await open(this.path, 'r');
    try {
      while (!this.stopped) {
        // Its own memory per chunk: a transferred buffer leaves this thread.
        const memory = Buffer.allocUnsafeSlow(CHUNK_BYTES);
        const { bytesRead } = await file.read(memory, 0, CHUNK_BYTES, null);
        if (this.stopped) return;
        if (bytesRead === 0) break;
        this.onChunk(memory.subarray(0, bytesRead));
        this.post({ t: 'chunk', data: memory.buffer as ArrayBuffer, length: bytesRead }, [memory.buffer as ArrayBuffer]);
        this.inFlight += 1;
        while (this.inFlight >= CHUNKS_AHEAD && !this.stopped) await new Promise<void>((resolve) => (this.wake = resolve));
      }
      if (this.stopped) return;
      this.whole = true;
      this.post({ t: 'end' });
    } finally {
      await file.close();
    }
  }

  private post(m: ParentMessage, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
