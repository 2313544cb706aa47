import { hasLargeParamLengths } from './event-codes.js';

const MAX_PARAMS = 64;

/**
 * The parameters of one decoded event: offsets and lengths into the block buffer (no copies).
 * Accessors return undefined for absent, empty or `<NA>` values and read numbers by the size
 * actually stored, since parameter types changed width-preserving over versions.
 */
export class EventParams {
  readonly offsets = new Int32Array(MAX_PARAMS);
  readonly lengths = new Int32Array(MAX_PARAMS);
  count = 0;
  buf: Buffer = Buffer.alloc(0);

  /**
   * Reads the length array at `lenStart`. v2 headers give `nparams`; for v1 (nparams < 0) the
   * count is inferred as the largest n ≤ maxParams whose lengths add up to the event length.
   * Returns an error message, or null on success.
   */
  parse(buf: Buffer, eventStart: number, eventLen: number, code: number, nparams: number, headerLen: number, maxParams: number): string | null {
    this.buf = buf;
    const width = hasLargeParamLengths(code) ? 4 : 2;
    const lenStart = eventStart + headerLen;
    const eventEnd = eventStart + eventLen;
    if (nparams < 0) {
      for (let n = Math.min(maxParams, MAX_PARAMS); n >= 0; n--) {
        if (this.fill(buf, lenStart, eventEnd, n, width) === eventEnd) return null;
      }
      return 'parameter lengths do not add up to the event length';
    }
    if (nparams > MAX_PARAMS) return `${nparams} parameters is more than any event has`;
    const end = this.fill(buf, lenStart, eventEnd, nparams, width);
    if (end < 0 || end > eventEnd) return 'parameter lengths run past the end of the event';
    return null;
  }

  /** Fills offsets/lengths for n params; returns the end of the values, or -1 if out of bounds. */
  private fill(buf: Buffer, lenStart: number, eventEnd: number, n: number, width: number): number {
    let value = lenStart + n * width;
    if (value > eventEnd) return -1;
    for (let i = 0; i < n; i++) {
      const at = lenStart + width * i;
      const len =
        width === 2
          ? (buf[at] as number) | ((buf[at + 1] as number) << 8)
          : ((buf[at] as number) | ((buf[at + 1] as number) << 8) | ((buf[at + 2] as number) << 16) | ((buf[at + 3] as number) << 24)) >>> 0;
      this.offsets[i] = value;
      this.lengths[i] = len;
      value += len;
      if (value > eventEnd) return -1;
    }
    this.count = n;
    return value;
  }

  has(i: number): boolean {
    return i < this.count && (this.lengths[i] ?? 0) > 0;
  }

  /** Signed integer of whatever width is stored (1, 2, 4 or 8 bytes). */
  int(i: number): number | undefined {
    if (i >= this.count) return undefined;
    const off = this.offsets[i] ?? 0;
    switch (this.lengths[i]) {
      case 8:
        // As Number(readBigInt64LE) rounds it, without a BigInt: one rounding of the exact sum.
        return this.buf.readInt32LE(off + 4) * 0x1_0000_0000 + this.buf.readUInt32LE(off);
      case 4:
        return this.buf.readInt32LE(off);
      case 2:
        return this.buf.readInt16LE(off);
      case 1:
        return this.buf.readInt8(off);
      default:
        return undefined;
    }
  }

  /** Unsigned integer of whatever width is stored. */
  uint(i: number): number | undefined {
    if (i >= this.count) return undefined;
    const off = this.offsets[i] ?? 0;
    switch (this.lengths[i]) {
      case 8:
        return this.buf.readUInt32LE(off + 4) * 0x1_0000_0000 + this.buf.readUInt32LE(off);
      case 4:
        return this.buf.readUInt32LE(off);
      case 2:
        return this.buf.readUInt16LE(off);
      case 1:
        return this.buf.readUInt8(off);
      default:
        return undefined;
    }
  }

  bigUint(i: number): bigint | undefined {
    if (i >= this.count || this.lengths[i] !== 8) return undefined;
    return this.buf.readBigUInt64LE(this.offsets[i] ?? 0);
  }

  /** A NUL-terminated string (CHARBUF, FSPATH); `<NA>` and empty mean unknown. */
  str(i: number): string | undefined {
    const s = this.rawStr(i);
    return s === undefined || s === '' || s === '<NA>' ? undefined : s;
  }

  /** Like str, but an empty string stays empty (a program can be run with empty argv[0]). */
  rawStr(i: number): string | undefined {
    if (!this.has(i)) return undefined;
    const off = this.offsets[i] ?? 0;
    const len = this.lengths[i] ?? 0;
    return utf8(this.buf, off, nulOrEnd(this.buf, off, off + len));
  }

  /** A NUL-separated list (args, env, cgroups); the last item may lack its NUL (driver cap). */
  list(i: number): string[] | undefined {
    if (!this.has(i)) return undefined;
    const off = this.offsets[i] ?? 0;
    return splitNulList(this.buf, off, off + (this.lengths[i] ?? 0));
  }

  bytes(i: number): Buffer | undefined {
    if (!this.has(i)) return undefined;
    const off = this.offsets[i] ?? 0;
    return this.buf.subarray(off, off + (this.lengths[i] ?? 0));
  }
}

/**
 * The items of a NUL-separated list, one trailing NUL dropped (a driver-capped last item has
 * none). Decoded as one string and split: a NUL never belongs to a multi-byte sequence, so the
 * items are what decoding each on its own gives, for one call into the decoder instead of one per item.
 */
export function splitNulList(buf: Buffer, start: number, end: number): string[] {
  if (end <= start) return [];
  return utf8(buf, start, buf[end - 1] === 0 ? end - 1 : end).split('\0');
}

/**
 * buf[start, end) decoded as UTF-8 by Buffer's own decoder, the native call toString('utf8', …)
 * makes after checking its arguments and looking the encoding up: the optimising compiler
 * inlined that lookup into every decoder that reads a string.
 */
const utf8: (buf: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as Partial<Utf8Slicing>).utf8Slice === 'function'
    ? (buf, start, end) => (buf as unknown as Utf8Slicing).utf8Slice(start, end)
    : (buf, start, end) => buf.toString('utf8', start, end);

interface Utf8Slicing {
  utf8Slice(start: number, end: number): string;
}

/** The first NUL in buf[from, end), or end (a loop: values are short, and a view per value cost more). */
function nulOrEnd(buf: Buffer, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === 0) return i;
  return end;
}
