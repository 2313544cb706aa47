import { closeSync, openSync, readSync } from 'node:fs';
import { SLOT_BYTES, SLOTS } from './hash-ring.js';

/**
 * A ring of byte slots in shared memory that the hashing thread fills by reading the file
 * itself, hashing each chunk after handing it over, while the importing thread parses the
 * chunks in place: the file's read syscalls (a tenth of a large .scap import's CPU) leave the
 * parsing thread too. A slot is read into again only once the importing thread has released it.
 */

/** Int32 cells of the control block. */
const FILLED = 0; // slots filled so far (the reading side's count)
const RELEASED = 1; // slots the importing thread is done with
const ENDED = 2; // 1 once the end of the file was read
const FAILED = 3; // 1 when the reading side stopped on an error (its message in `error`)
const ERROR_BYTES = 4; // length of that message
const CONTROL_CELLS = 5;
const ERROR_CAPACITY = 2048;

export interface ReadRingBuffers {
  control: SharedArrayBuffer;
  lengths: SharedArrayBuffer;
  data: SharedArrayBuffer;
  error: SharedArrayBuffer;
}

export function newReadRing(): ReadRingBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_CELLS * 4),
    lengths: new SharedArrayBuffer(SLOTS * 4),
    data: new SharedArrayBuffer(SLOTS * SLOT_BYTES),
    error: new SharedArrayBuffer(ERROR_CAPACITY),
  };
}

/**
 * The hashing thread's side: reads the file to its end into the slots in order, each once
 * the importing thread has released it, and calls `onChunk` with each chunk after publishing it.
 */
export function fillReadRing(ring: ReadRingBuffers, path: string, onChunk: (bytes: Buffer) => void, stallMs = 60_000): void {
  const control = new Int32Array(ring.control);
  const lengths = new Int32Array(ring.lengths);
  const data = Buffer.from(ring.data);
  let filled = 0;
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    for (;;) {
      for (let waited = 0; ; waited += 100) {
        const released = Atomics.load(control, RELEASED);
        if (filled - released < SLOTS) break;
        if (waited >= stallMs) throw new Error(`the importing thread took no chunk for ${stallMs / 1000} s`);
        Atomics.wait(control, RELEASED, released, 100);
      }
      const at = (filled % SLOTS) * SLOT_BYTES;
      const n = readSync(fd, data, at, SLOT_BYTES, null);
      if (n === 0) {
        Atomics.store(control, ENDED, 1);
        Atomics.notify(control, FILLED);
        return;
      }
      lengths[filled % SLOTS] = n;
      filled += 1;
      Atomics.store(control, FILLED, filled);
      Atomics.notify(control, FILLED);
      onChunk(data.subarray(at, at + n));
    }
  } catch (err) {
    const message = Buffer.from(err instanceof Error ? err.message : String(err)).subarray(0, ERROR_CAPACITY);
    message.copy(Buffer.from(ring.error));
    Atomics.store(control, ERROR_BYTES, message.length);
    Atomics.store(control, FAILED, 1);
    Atomics.notify(control, FILLED);
    throw err;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The importing thread's side: the chunks in file order, each parsed in place, then released. */
export class ReadRingConsumer {
  private readonly control: Int32Array;
  private readonly lengths: Int32Array;
  private readonly data: Buffer;
  private taken = 0;

  constructor(
    private readonly ring: ReadRingBuffers,
    private readonly stallMs = 60_000,
  ) {
    this.control = new Int32Array(ring.control);
    this.lengths = new Int32Array(ring.lengths);
    this.data = Buffer.from(ring.data);
  }

  /** The next chunk (valid until release()), or null at the end of the file. */
  next(): Buffer | null {
    for (let waited = 0; ; waited += 100) {
      const filled = Atomics.load(this.control, FILLED);
      if (filled > this.taken) break;
      if (Atomics.load(this.control, FAILED) === 1) throw new Error(this.failure());
      if (Atomics.load(this.control, ENDED) === 1 && Atomics.load(this.control, FILLED) === this.taken) return null;
      if (waited >= this.stallMs) throw new Error(`the reading thread gave no chunk for ${this.stallMs / 1000} s`);
      Atomics.wait(this.control, FILLED, filled, 100);
    }
    const slot = this.taken % SLOTS;
    return this.data.subarray(slot * SLOT_BYTES, slot * SLOT_BYTES + (this.lengths[slot] ?? 0));
  }

  /** The chunk next() gave is parsed: its slot may be read into again. */
  release(): void {
    this.taken += 1;
    Atomics.store(this.control, RELEASED, this.taken);
    Atomics.notify(this.control, RELEASED);
  }

  private failure(): string {
    const length = Atomics.load(this.control, ERROR_BYTES);
    return Buffer.from(this.ring.error).toString('utf8', 0, length) || 'the reading thread stopped';
  }
}
