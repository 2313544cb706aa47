import { MAX_SMALL_EVENT_BLOCK, blockTypeName, isKnownBlockType, maxBlockLength } from './block-types.js';

/** Receives each complete block; the block occupies buf[start, start + length). */
export type BlockHandler = (type: number, buf: Buffer, start: number, length: number, offset: number) => void;

/**
 * Handles a run of complete, well-framed blocks it knows from buf[start] on, up to `end`, and
 * returns where it stopped (start itself when the first block is not one of them): the framer
 * then frames and hands over that block as usual. It is how the blocks that make most of a
 * capture (events that are only counted) skip the general path.
 */
export type BlockRunHandler = (buf: Buffer, start: number, end: number) => number;

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
 * No chunk is referenced after push() returns (the bytes of a block it leaves incomplete are
 * copied), so a caller may read the next chunk into the same memory.
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
      onBlockRun?: BlockRunHandler;
    },
  ) {
    this.onBlockRun = options.onBlockRun ?? null;
  }

  private readonly onBlockRun: BlockRunHandler | null;

  push(chunk: Buffer): void {
    let start = 0;
    // Finish a block that began in an earlier chunk by copying only the bytes it still needs.
    while (this.pendingLen > 0) {
      const want = this.needed - this.pendingLen;
      if (chunk.length - start < want) {
        this.pending.push(Buffer.from(chunk.subarray(start)));
        this.pendingLen += chunk.length - start;
        return;
      }
      this.pending.push(chunk.subarray(start, start + want));
      start += want;
      const joined = Buffer.concat(this.pending, this.pendingLen + want);
      this.pending = [];
      this.pendingLen = 0;
      const used = this.consume(joined, 0);
      if (used < joined.length) this.keep(joined, used);
    }
    const used = this.consume(chunk, start);
    if (used < chunk.length) this.keep(chunk, used);
  }

  /** Copies the incomplete block at the end of buf: the caller may reuse buf's memory for the next chunk. */
  private keep(buf: Buffer, from: number): void {
    this.pending = [Buffer.from(buf.subarray(from))];
    this.pendingLen = buf.length - from;
  }

  /**
   * The input ended. A block left incomplete is a truncated capture, unless an intact block
   * follows inside what is left: then its length was damaged (it runs past the end), and with
   * `resync` the blocks after it are still read (scap-format.md §2: type, length, trailer).
   */
  end(): FramerEnd {
    while (this.pendingLen > 0) {
      const rest = Buffer.concat(this.pending, this.pendingLen);
      const next = nextIntactBlock(rest, 4);
      if (next === null) break;
      this.pending = [];
      this.pendingLen = 0;
      this.reportCorrupt(u32(rest, 0), `block length ${u32(rest, 4)} runs past the end of the file, yet an intact block follows at byte ${this.offset + next}`);
      this.offset += next;
      const used = this.consume(rest, next);
      if (used < rest.length) this.keep(rest, used);
    }
    if (this.pendingLen === 0) return { truncatedAt: null };
    const at = this.offset;
    if (this.resyncFrom !== null) this.options.onResynced?.(this.resyncFrom, at);
    return { truncatedAt: at };
  }

  /** Handles every complete block in buf; returns how many bytes were consumed. */
  private consume(buf: Buffer, start: number): number {
    let pos = start;
    const n = buf.length;
    while (n - pos >= 8) {
      if (this.onBlockRun !== null && this.resyncFrom === null) {
        const to = this.onBlockRun(buf, pos, n);
        this.offset += to - pos;
        pos = to;
        if (n - pos < 8) break;
      }
      const type = u32(buf, pos);
      const total = u32(buf, pos + 4);
      const framingProblem = this.resyncFrom !== null && !isKnownBlockType(type) ? 'unknown block type' : checkHeader(type, total);
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
      const trailer = u32(buf, pos + total - 4);
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

/** Little-endian u32 without Buffer's call overhead: this runs for every block of the file. */
function u32(b: Buffer, o: number): number {
  return ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>> 0;
}

/** The first offset from `from` (4-byte steps) where a known block type's length and trailer agree within buf. */
function nextIntactBlock(buf: Buffer, from: number): number | null {
  for (let pos = from; pos + 12 <= buf.length; pos += 4) {
    const type = u32(buf, pos);
    if (!isKnownBlockType(type)) continue;
    const total = u32(buf, pos + 4);
    if (checkHeader(type, total) !== null || pos + total > buf.length) continue;
    if (u32(buf, pos + total - 4) === total) return pos;
  }
  return null;
}

function checkHeader(type: number, total: number): string | null {
  if (total < 12) return `block length ${total} is below the 12-byte minimum`;
  if (total % 4 !== 0) return `block length ${total} is not a multiple of 4`;
  if (total > MAX_SMALL_EVENT_BLOCK && total > maxBlockLength(type)) return `block length ${total} exceeds the ${maxBlockLength(type)}-byte limit`;
  return null;
}
