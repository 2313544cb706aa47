import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync, type Stats } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import type { ReaderContext } from '../capture/reader.js';
import { InputError } from '../util/errors.js';
import { decodeUpToDamage } from './gzip-damage.js';

const HEAD_BYTES = 64 * 1024;
const CHUNK = 1 << 20;

export interface InputFile {
  path: string;
  size: number;
  gzip: boolean;
}

export function statInput(path: string): InputFile {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    throw new InputError('INPUT_NOT_FOUND', { file: path }, 'no such file');
  }
  if (!st.isFile()) throw new InputError('INPUT_NOT_FOUND', { file: path }, 'not a regular file');
  return { path, size: st.size, gzip: false };
}

/** sha256 of a file's bytes, fed chunk by chunk while the file is read for import. */
export class RunningHash {
  private readonly hash = createHash('sha256');
  bytes = 0;
  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function firstBytes(stream: Readable, limit: number): Promise<{ bytes: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  let total = 0;
  let error: unknown = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      total += chunk.length;
      if (total >= limit) break;
    }
  } catch (err) {
    // A damaged stream still has a head worth sniffing; the reader reports the damage.
    error = err;
  } finally {
    stream.destroy();
  }
  return { bytes: Buffer.concat(parts).subarray(0, limit), error };
}

/** Compressed bytes are read in pieces this large, so damage is placed within this many bytes. */
const GZIP_READ = 64 * 1024;
const GZIP_TRAILER = 8;

/** Where in the compressed file zlib gave up, recorded on its error by openContent. */
export function gzipDamageOffset(err: unknown): number | undefined {
  const offset = (err as { compressedOffset?: unknown } | null)?.compressedOffset;
  return typeof offset === 'number' ? offset : undefined;
}

export function gzipDamageText(err: unknown, offset: number): string {
  const zlib = err instanceof Error ? err.message : String(err);
  return `gzip stream corrupt at compressed byte ${offset} (zlib: ${zlib}; within the ${GZIP_READ / 1024} KiB read from there)`;
}

/**
 * Whether the file is gzip, and its first (decompressed) bytes for format detection;
 * `headIsWhole` when they are the whole content. A gzip stream damaged before it yields anything
 * is refused here, with where the damage is (it is not an empty file).
 */
export async function sniffInput(file: InputFile): Promise<{ gzip: boolean; head: Buffer; headIsWhole: boolean }> {
  const plain = plainHead(file.path);
  if (plain !== null) return plain;
  const magic = (await firstBytes(createReadStream(file.path, { start: 0, end: 1 }), 2)).bytes;
  const gzip = magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  const { bytes: head, error } = await firstBytes(
    openContent(file.path, gzip, () => {}),
    HEAD_BYTES + 1,
  );
  const offset = gzipDamageOffset(error);
  if (gzip && head.length === 0 && offset !== undefined) {
    throw new InputError('INPUT_CORRUPT', { file: file.path, offset }, gzipDamageText(error, offset));
  }
  return { gzip, head: head.subarray(0, HEAD_BYTES), headIsWhole: head.length <= HEAD_BYTES };
}

/**
 * A plain file's head from one positional read: two streams opened, read and closed for it cost
 * the importing thread ~6 ms of CPU and ~10 ms of waiting on libuv's threads before a large
 * capture's first byte is parsed. Null for a gzip file, or one that cannot be read so (the
 * streams then say why, as before).
 */
function plainHead(path: string): { gzip: false; head: Buffer; headIsWhole: boolean } | null {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.allocUnsafe(HEAD_BYTES + 1);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
    }
    if (n >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return null;
    return { gzip: false, head: buf.subarray(0, Math.min(n, HEAD_BYTES)), headIsWhole: n <= HEAD_BYTES };
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export interface GzipDamageHandlers {
  /** The trailer's CRC or length disagrees with content read whole: said, and the content kept. */
  onTrailerDamage?: (message: string, offset: number) => void;
  /** zlib gave up inside the data (`--skip-bad`): the content before the damage is kept. */
  onDataDamage?: (message: string, offset: number) => void;
}

/**
 * The file's content as a stream, decompressed when gzip. A gzip stream cut short yields what
 * it holds instead of failing, so the format reader can report where its records end.
 * `onRawChunk` sees every chunk read from disk (for progress, and to hash the file in the same pass);
 * `onContentChunk` every chunk of the content (to hash the evidence itself, whatever its packing).
 */
export function openContent(
  path: string,
  gzip: boolean,
  onRawChunk: (chunk: Buffer) => void,
  onContentChunk?: (chunk: Buffer) => void,
  damage: GzipDamageHandlers = {},
): Readable {
  const { onTrailerDamage, onDataDamage } = damage;
  const raw = createReadStream(path, { highWaterMark: gzip ? GZIP_READ : CHUNK });
  raw.on('data', (chunk) => {
    onRawChunk(chunk as Buffer);
    if (!gzip) onContentChunk?.(chunk as Buffer);
  });
  if (!gzip) return raw;
  const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: CHUNK });
  // Registered first: every later listener (and the reader) sees where the damage is.
  gunzip.on('error', (err) => Object.assign(err, { compressedOffset: gunzip.bytesWritten }));
  raw.on('error', (err) => gunzip.destroy(err));
  // The 8-byte trailer (CRC, length) goes to zlib in a write of its own: a bad CRC then fails
  // only that write, and no decompressed data of the last piece is lost with it.
  let held: Buffer | null = null;
  const trailerApart = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const all = held ? Buffer.concat([held, chunk]) : chunk;
      held = Buffer.from(all.subarray(Math.max(0, all.length - GZIP_TRAILER)));
      done(null, all.length > GZIP_TRAILER ? all.subarray(0, all.length - GZIP_TRAILER) : undefined);
    },
    flush(done) {
      done(null, held && held.length > 0 ? held : undefined);
    },
  });
  if (!onContentChunk && !onTrailerDamage && !onDataDamage) return raw.pipe(trailerApart).pipe(gunzip);
  let contentBytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      contentBytes += chunk.length;
      onContentChunk?.(chunk);
      done(null, chunk);
    },
  });
  gunzip.on('error', (err) => {
    // A bad CRC or length in the trailer comes after all the data: the content is whole, only
    // its checksum disagrees. Said (a warning), not fatal, when the caller takes it.
    if (onTrailerDamage && /incorrect (data|length) check/.test(err.message)) {
      onTrailerDamage(
        `the gzip trailer's ${err.message.includes('length') ? 'length' : 'CRC'} does not match the content (zlib: ${err.message}); the content was read to its end and imported, but may hold damage zlib could not see (records it broke are reported as such)`,
        gunzip.bytesWritten,
      );
      tap.end();
      return;
    }
    // Damage inside the data: the content up to it is kept (the reader sees the stream end there).
    if (onDataDamage) {
      raw.destroy();
      const pieceStart = gzipDamageOffset(err) ?? gunzip.bytesWritten;
      decodeUpToDamage(path, pieceStart, GZIP_READ + GZIP_TRAILER, contentBytes).then(
        ({ tail, offset, zlibMessage }) => {
          if (tail.length > 0) tap.write(tail);
          onDataDamage(
            offset === undefined ? gzipDamageText(err, pieceStart) : `gzip stream corrupt at compressed byte ${offset} (zlib: ${zlibMessage ?? err.message})`,
            offset ?? pieceStart,
          );
          tap.end();
        },
        (readErr: unknown) => tap.destroy(readErr instanceof Error ? readErr : new Error(String(readErr))),
      );
      return;
    }
    tap.destroy(err);
  });
  return raw.pipe(trailerApart).pipe(gunzip).pipe(tap);
}

/**
 * Gzip damage met with `--skip-bad`: recorded when zlib gives up, reported once the reader has
 * taken what came before it (a warning with the count, and the capture marked cut there).
 */
export class GzipDamageNote {
  private seen: { message: string; offset: number } | undefined;

  readonly record = (message: string, offset: number): void => {
    this.seen ??= { message, offset };
  };

  report(ctx: ReaderContext, eventsKept: number): void {
    if (!this.seen) return;
    const { message, offset } = this.seen;
    ctx.warn({
      location: { file: ctx.file, offset },
      message: `${message}; kept the ${eventsKept} record${eventsKept === 1 ? '' : 's'} before it (--skip-bad), the rest of the file is not read`,
    });
    ctx.markTruncated(offset);
  }
}
