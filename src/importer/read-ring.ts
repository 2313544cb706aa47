import { closeSync, openSync, readSync } from 'node:fs';
import { SLOT_BYTES } from './hash-ring.js';

/**
 * A ring of byte slots in shared memory holding a file's chunks (chunk k is bytes
 * [k·SLOT_BYTES, (k+1)·SLOT_BYTES) of the file) for two threads: the importing thread parses
 * each chunk in place, the hashing thread hashes each. Either thread reads a chunk into its
 * slot: the hashing thread reads ahead, and the importing thread reads the chunk it needs
 * itself when no one has claimed it yet (while the hashing thread starts, or when it is
 * descheduled), so it never waits for the other thread to read. A chunk is claimed once
 * (compare-and-swap on the next chunk to read); its slot is reused once both threads are done
 * with the chunk READ_SLOTS before it. The first chunk shorter than a slot ends the file for both.
 */

/** Slots of this ring: the hashing thread reads up to this many chunks ahead of the parser. */
export const READ_SLOTS = 16;

/** Int32 cells of the control block. */
const CLAIMED = 0; // chunks claimed for reading so far
const RELEASED = 1; // chunks the importing thread is done with
const HASHED = 2; // chunks the hashing thread is done with
const LAST = 3; // index of the first short chunk (the end of the file), -1 until one is read
const PROGRESS = 4; // bumped whenever any of the above or a slot changes: what waiters wait on
const FAILED = 5; // 1 when the hashing thread stopped on an error (its message in `error`)
const ERROR_BYTES = 6; // length of that message
const CONTROL_CELLS = 7;
const ERROR_CAPACITY = 2048;

export interface ReadRingBuffers {
  control: SharedArrayBuffer;
  /** Per slot: 1 + the index of the chunk it holds, once read. */
  holds: SharedArrayBuffer;
  lengths: SharedArrayBuffer;
  data: SharedArrayBuffer;
  error: SharedArrayBuffer;
}

export function newReadRing(): ReadRingBuffers {
  const ring = {
    control: new SharedArrayBuffer(CONTROL_CELLS * 4),
    holds: new SharedArrayBuffer(READ_SLOTS * 4),
    lengths: new SharedArrayBuffer(READ_SLOTS * 4),
    data: new SharedArrayBuffer(READ_SLOTS * SLOT_BYTES),
    error: new SharedArrayBuffer(ERROR_CAPACITY),
  };
  new Int32Array(ring.control)[LAST] = -1;
  return ring;
}

/** One thread's view of the ring. */
class RingView {
  readonly control: Int32Array;
  readonly holds: Int32Array;
  readonly lengths: Int32Array;
  readonly data: Buffer;

  constructor(
    readonly ring: ReadRingBuffers,
    private readonly fd: number,
    private readonly stallMs: number,
  ) {
    this.control = new Int32Array(ring.control);
    this.holds = new Int32Array(ring.holds);
    this.lengths = new Int32Array(ring.lengths);
    this.data = Buffer.from(ring.data);
  }

  /** Chunk k's bytes once read into its slot, else null. */
  held(k: number): Buffer | null {
    const slot = k % READ_SLOTS;
    if (Atomics.load(this.holds, slot) !== k + 1) return null;
    return this.data.subarray(slot * SLOT_BYTES, slot * SLOT_BYTES + (this.lengths[slot] ?? 0));
  }

  /** True when chunk k lies past the end of the file (after the first short chunk). */
  pastEnd(k: number): boolean {
    const last = Atomics.load(this.control, LAST);
    return last >= 0 && k > last;
  }

  /** Claims chunk k (when it is next, before the end, and its slot is free) and reads it; false when it cannot. */
  tryRead(k: number): boolean {
    if (this.pastEnd(k)) return false;
    const free = Math.min(Atomics.load(this.control, RELEASED), Atomics.load(this.control, HASHED)) + READ_SLOTS;
    if (k >= free || Atomics.compareExchange(this.control, CLAIMED, k, k + 1) !== k) return false;
    const slot = k % READ_SLOTS;
    const at = slot * SLOT_BYTES;
    let n = 0;
    while (n < SLOT_BYTES) {
      const r = readSync(this.fd, this.data, at + n, SLOT_BYTES - n, k * SLOT_BYTES + n);
      if (r === 0) break;
      n += r;
    }
    this.lengths[slot] = n;
    if (n < SLOT_BYTES) {
      for (let last = Atomics.load(this.control, LAST); last < 0 || k < last; last = Atomics.load(this.control, LAST)) {
        if (Atomics.compareExchange(this.control, LAST, last, k) === last) break;
      }
    }
    Atomics.store(this.holds, slot, k + 1);
    this.bump();
    return true;
  }

  bump(): void {
    Atomics.add(this.control, PROGRESS, 1);
    Atomics.notify(this.control, PROGRESS);
  }

  /** Waits (up to 100 ms) for any change after `seen`; counts toward the stall limit. */
  waitFor(seen: number, waited: { ms: number }, what: string): void {
    if (waited.ms >= this.stallMs) throw new Error(`${what} for ${this.stallMs / 1000} s`);
    Atomics.wait(this.control, PROGRESS, seen, 100);
    waited.ms += 100;
  }
}

/**
 * The hashing thread's side: reads ahead and hashes every chunk in order to the end of the
 * file, calling `onChunk` with each.
 */
export function fillReadRing(ring: ReadRingBuffers, path: string, onChunk: (bytes: Buffer) => void, stallMs = 60_000): void {
  const control = new Int32Array(ring.control);
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const view = new RingView(ring, fd, stallMs);
    for (let h = 0; ; ) {
      const seen = Atomics.load(control, PROGRESS);
      const waited = { ms: 0 };
      for (;;) {
        if (view.tryRead(Atomics.load(control, CLAIMED))) continue;
        const chunk = view.held(h);
        if (chunk !== null) {
          if (chunk.length > 0) onChunk(chunk);
          Atomics.store(control, HASHED, h + 1);
          view.bump();
          if (chunk.length < SLOT_BYTES) return;
          h += 1;
          break;
        }
        view.waitFor(seen, waited, 'the importing thread read no chunk');
        if (Atomics.load(control, PROGRESS) !== seen) break;
      }
    }
  } catch (err) {
    const message = Buffer.from(err instanceof Error ? err.message : String(err)).subarray(0, ERROR_CAPACITY);
    message.copy(Buffer.from(ring.error));
    Atomics.store(control, ERROR_BYTES, message.length);
    Atomics.store(control, FAILED, 1);
    Atomics.add(control, PROGRESS, 1);
    Atomics.notify(control, PROGRESS);
    throw err;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The importing thread's side: the chunks in file order, each parsed in place, then released. */
export class ReadRingConsumer {
  private readonly view: RingView;
  private taken = 0;

  constructor(ring: ReadRingBuffers, fd: number, stallMs = 60_000) {
    this.view = new RingView(ring, fd, stallMs);
  }

  /** The next chunk (valid until release()), or null at the end of the file. */
  next(): Buffer | null {
    const { view } = this;
    const waited = { ms: 0 };
    for (;;) {
      const seen = Atomics.load(view.control, PROGRESS);
      if (view.pastEnd(this.taken)) return null;
      const chunk = view.held(this.taken);
      if (chunk !== null) return chunk.length > 0 ? chunk : null;
      if (Atomics.load(view.control, FAILED) === 1) throw new Error(this.failure());
      if (view.tryRead(this.taken)) continue;
      view.waitFor(seen, waited, 'the hashing thread made no progress');
    }
  }

  /** The chunk next() gave is parsed: its slot may be read into again. */
  release(): void {
    this.taken += 1;
    Atomics.store(this.view.control, RELEASED, this.taken);
    this.view.bump();
  }

  private failure(): string {
    const length = Atomics.load(this.view.control, ERROR_BYTES);
    return Buffer.from(this.view.ring.error).toString('utf8', 0, length) || 'the hashing thread stopped';
  }
}
