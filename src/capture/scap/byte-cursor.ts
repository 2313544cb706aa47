import { splitNulList } from './event-params.js';

/** A field ran past the end of its block or entry. */
export class BlockFormatError extends Error {}

/** Sequential little-endian reads within [pos, end) of a buffer, bounds-checked. */
export class ByteCursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    public end: number,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): number {
    if (this.pos + n > this.end) throw new BlockFormatError(`${what} runs past the end (needs ${n} bytes, ${this.remaining} left)`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(what = 'u8'): number {
    return this.buf.readUInt8(this.need(1, what));
  }
  u16(what = 'u16'): number {
    return this.buf.readUInt16LE(this.need(2, what));
  }
  u32(what = 'u32'): number {
    return this.buf.readUInt32LE(this.need(4, what));
  }
  i64(what = 'i64'): number {
    return Number(this.buf.readBigInt64LE(this.need(8, what)));
  }
  u64(what = 'u64'): bigint {
    return this.buf.readBigUInt64LE(this.need(8, what));
  }
  skip(n: number, what = 'field'): void {
    this.need(n, what);
  }

  /** str16: u16 length then bytes, a trailing NUL (if any) dropped. */
  str16(what = 'string'): string {
    const len = this.u16(what);
    const at = this.need(len, what);
    let end = at + len;
    const nul = this.buf.subarray(at, end).indexOf(0);
    if (nul >= 0) end = at + nul;
    return this.buf.toString('utf8', at, end);
  }

  /** str16 holding a NUL-separated list. */
  list16(what = 'list'): string[] {
    const len = this.u16(what);
    const at = this.need(len, what);
    return splitNulList(this.buf, at, at + len);
  }
}
