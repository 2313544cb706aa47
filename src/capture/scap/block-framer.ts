import { blockTypeName, isKnownBlockType, maxBlockLength } from './block-types.js';

/** Receives each complete block; the block occupies buf[start, start + length). */
export type BlockHandler = (type: number, buf: Buffer, start: number, length: number, offset: number) => void;

/** Why a block's framing cannot be trusted. */
export class FramingError extends Error {
  constructor(
    readonly offset: number,
    readonly blockType: number,
    readonly reason: string,
  ) {
    super(`corrupt block at byte ${offset} (${blockTypeName(blockType)}): ${reason}`);
  }
}

export interface FramerEnd {
  /** Byte offset of an incomplete block at the end of the input, or null when it ended cleanly. */
  truncatedAt: number | null;
}

/**
 * Splits a byte stream into pcapng-style blocks (scap-format.md §2), whatever the chunk
 * boundaries: complete blocks are handed over in place, a block spanning chunks is joined once.
 * With `resync`, a block whose framing is broken is reported through `onCorrupt` and the framer
 * searches forward (4-byte steps) for the next block whose length and trailer agree; without it
 * a FramingError is thrown.
 */
export class BlockFramer {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** Bytes needed before the first pending block can be handled (8 until its length is known). */
  private needed = 8;
  /** File offset of the first unconsumed byte. */
  private offset = 0;
  private resyncFrom: number | null = null;

  constructor(
    private readonly onBlock: BlockHandler,
    private readonly options: {
      resync: boolean;
      onCorrupt?: (err: FramingError) => void;
      onResynced?: (from: number, to: number) => void;
    },
  ) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.pendingLen > 0) {
      this.pending.push(chunk);
      this.pendingLen += chunk.length;
      if (this.pendingLen < this.needed) return;
      chunk = Buffer.concat(this.pending, this.pendingLen);
      this.pending = [];
      this.pendingLen = 0;
    }
    const used = this.consume(chunk);
    if (used < chunk.length) {
      const rest = chunk.subarray(used);
      this.pending = [rest];
      this.pendingLen = rest.length;
    }
  }

  end(): FramerEnd {
    if (this.pendingLen === 0) return { truncatedAt: null };
    const at = this.offset;
    if (this.resyncFrom !== null) this.options.onResynced?.(this.resyncFrom, at);
    return { truncatedAt: at };
  }

  /** Handles every complete block in buf; returns how many bytes were consumed. */
  private consume(buf: Buffer): number {
    let pos = 0;
    const n = buf.length;
    while (n - pos >= 8) {
      const type = buf.readUInt32LE(pos);
      const total = buf.readUInt32LE(pos + 4);
      const framingProblem =
        this.resyncFrom !== null && !isKnownBlockType(type) ? 'unknown block type' : checkHeader(type, total);
      if (framingProblem !== null) {
        this.reportCorrupt(type, framingProblem);
        pos += 4;
        this.offset += 4;
        continue;
      }
      if (n - pos < total) {
        this.needed = total;
        return pos;
      }
      const trailer = buf.readUInt32LE(pos + total - 4);
      if (trailer !== total) {
        this.reportCorrupt(type, `trailer length ${trailer} does not match header length ${total}`);
        pos += 4;
        this.offset += 4;
        continue;
      }
      if (this.resyncFrom !== null) {
        this.options.onResynced?.(this.resyncFrom, this.offset);
        this.resyncFrom = null;
      }
      this.onBlock(type, buf, pos, total, this.offset);
      pos += total;
      this.offset += total;
    }
    this.needed = 8;
    return pos;
  }

  /** Throws, or (resync mode) reports the first problem of a damaged stretch and keeps searching. */
  private reportCorrupt(type: number, reason: string): void {
    if (this.resyncFrom !== null) return;
    const err = new FramingError(this.offset, type, reason);
    if (!this.options.resync) throw err;
    this.options.onCorrupt?.(err);
    this.resyncFrom = this.offset;
  }
}

function checkHeader(type: number, total: number): string | null {
  if (total < 12) return `block length ${total} is below the 12-byte minimum`;
  if (total % 4 !== 0) return `block length ${total} is not a multiple of 4`;
  if (total > maxBlockLength(type)) return `block length ${total} exceeds the ${maxBlockLength(type)}-byte limit`;
  return null;
}
