export interface Line {
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
}

/** The longest line read: longer ones stop the import with LineTooLong (memory stays bounded). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** A line longer than MAX_LINE_BYTES; the importer names the file. */
export class LineTooLong extends Error {
  constructor(
    readonly line: number,
    readonly offset: number,
  ) {
    super(`line ${line} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB (it starts at byte ${offset}); no record of a supported format is that long`);
    this.name = 'LineTooLong';
  }
}

/**
 * Splits a byte stream into lines on `\n` (a trailing `\r` is dropped), decoding each line as
 * UTF-8. Works on Buffers so a multi-byte character split across chunks stays whole. Yields the
 * lines of each chunk together: one await per chunk instead of one per line halves the cost of
 * reading a multi-million-line file. A line spanning chunks is gathered as a list of pieces and
 * joined once (linear in its length), up to MAX_LINE_BYTES. Nothing of a chunk is kept once the
 * next one is asked for (its memory may be read into again).
 */
export async function* lineBatches(stream: AsyncIterable<Buffer>): AsyncIterable<Line[]> {
  let pending: Buffer[] = []; // pieces of a line not ended yet
  let pendingBytes = 0;
  let line = 0;
  let offset = 0; // byte offset of the first pending byte (or of the next chunk when none)
  for await (const chunk of stream) {
    let nl = chunk.indexOf(10);
    if (nl < 0) {
      pending.push(Buffer.from(chunk));
      pendingBytes += chunk.length;
      if (pendingBytes > MAX_LINE_BYTES) throw new LineTooLong(line + 1, offset);
      continue;
    }
    const lines: Line[] = [];
    let start = 0;
    if (pending.length > 0) {
      // The line begun in earlier chunks ends in this one: only its own bytes are joined.
      if (pendingBytes + nl > MAX_LINE_BYTES) throw new LineTooLong(line + 1, offset);
      pending.push(chunk.subarray(0, nl));
      const joined = Buffer.concat(pending);
      line += 1;
      const end = joined.length > 0 && joined[joined.length - 1] === 13 ? joined.length - 1 : joined.length;
      lines.push({ text: joined.toString('utf8', 0, end), line, offset });
      offset += joined.length + 1;
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    while (nl >= 0) {
      line += 1;
      if (nl - start > MAX_LINE_BYTES) throw new LineTooLong(line, offset);
      const end = nl > start && chunk[nl - 1] === 13 ? nl - 1 : nl;
      lines.push({ text: chunk.toString('utf8', start, end), line, offset });
      offset += nl + 1 - start;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      // Only the tail of the current chunk remains: a copy, as the chunk's memory may be read into again.
      const tail = Buffer.from(chunk.subarray(start));
      pending.push(tail);
      pendingBytes = tail.length;
    }
    if (lines.length > 0) yield lines;
  }
  if (pendingBytes > 0) {
    const carry = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    line += 1;
    const end = carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length;
    yield [{ text: carry.toString('utf8', 0, end), line, offset }];
  }
}
