/**
 * A single-producer, single-consumer ring of byte slots in shared memory: the importing thread
 * copies each chunk it reads into the next free slot, the hashing thread hashes the slots in
 * order. Copying 1 MiB costs a few percent of hashing it, and a reader may keep views of its
 * chunks, so they are copied rather than handed over.
 */
export const SLOT_BYTES = 1 << 20;
/**
 * Slots of this ring. Hashing (~1.5 GB/s) outruns every parser by far, so a few slots keep the
 * importing thread from waiting; each more is 1 MiB of resident memory for the whole import.
 */
export const HASH_SLOTS = 4;

/** Int32 cells of the control block. */
const WRITTEN = 0; // slots filled so far (the producer's count)
const HASHED = 1; // slots hashed so far (the consumer's count)
const CLOSED = 2; // 1 when the producer has no more data
const FAILED = 3; // 1 when the consumer stopped on an error
const CONTROL_CELLS = 4;

export interface RingBuffers {
  control: SharedArrayBuffer;
  lengths: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export function newRing(): RingBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_CELLS * 4),
    lengths: new SharedArrayBuffer(HASH_SLOTS * 4),
    data: new SharedArrayBuffer(HASH_SLOTS * SLOT_BYTES),
  };
}

/** The importing thread's side. */
export class RingWriter {
  private readonly control: Int32Array;
  private readonly lengths: Int32Array;
  private readonly data: Buffer;
  private written = 0;

  constructor(
    ring: RingBuffers,
    /** Longest time to wait for a free slot before giving up on the other thread. */
    private readonly stallMs = 60_000,
  ) {
    this.control = new Int32Array(ring.control);
    this.lengths = new Int32Array(ring.lengths);
    this.data = Buffer.from(ring.data);
  }

  write(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; at += SLOT_BYTES) {
      const piece = chunk.subarray(at, Math.min(chunk.length, at + SLOT_BYTES));
      this.waitForFreeSlot();
      const slot = this.written % HASH_SLOTS;
      this.data.set(piece, slot * SLOT_BYTES);
      this.lengths[slot] = piece.length;
      this.written += 1;
      Atomics.store(this.control, WRITTEN, this.written);
      Atomics.notify(this.control, WRITTEN);
    }
  }

  close(): void {
    Atomics.store(this.control, CLOSED, 1);
    Atomics.notify(this.control, WRITTEN);
  }

  private waitForFreeSlot(): void {
    let waited = 0;
    for (;;) {
      if (Atomics.load(this.control, FAILED) === 1) throw new Error('the hashing thread stopped');
      const hashed = Atomics.load(this.control, HASHED);
      if (this.written - hashed < HASH_SLOTS) return;
      if (waited >= this.stallMs) throw new Error(`the hashing thread made no progress for ${this.stallMs / 1000} s`);
      Atomics.wait(this.control, HASHED, hashed, 100);
      waited += 100;
    }
  }
}

/** The hashing thread's side: calls `onChunk` with each slot's bytes, in order, until the producer closes. */
export function drainRing(ring: RingBuffers, onChunk: (bytes: Buffer) => void): void {
  const control = new Int32Array(ring.control);
  const lengths = new Int32Array(ring.lengths);
  const data = Buffer.from(ring.data);
  let hashed = 0;
  try {
    for (;;) {
      const written = Atomics.load(control, WRITTEN);
      if (written === hashed) {
        if (Atomics.load(control, CLOSED) === 1 && Atomics.load(control, WRITTEN) === hashed) return;
        Atomics.wait(control, WRITTEN, written, 100);
        continue;
      }
      const slot = hashed % HASH_SLOTS;
      onChunk(data.subarray(slot * SLOT_BYTES, slot * SLOT_BYTES + (lengths[slot] ?? 0)));
      hashed += 1;
      Atomics.store(control, HASHED, hashed);
      Atomics.notify(control, HASHED);
    }
  } catch (err) {
    Atomics.store(control, FAILED, 1);
    Atomics.notify(control, HASHED);
    throw err;
  }
}
