import { createHash } from 'node:crypto';
import { createReadStream, statSync, type Stats } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import { InputError } from '../util/errors.js';

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

async function firstBytes(stream: Readable, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      total += chunk.length;
      if (total >= limit) break;
    }
  } catch {
    // A damaged stream still has a head worth sniffing; the reader reports the damage.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, limit);
}

/**
 * Whether the file is gzip, and its first (decompressed) bytes for format detection;
 * `headIsWhole` when they are the whole content.
 */
export async function sniffInput(file: InputFile): Promise<{ gzip: boolean; head: Buffer; headIsWhole: boolean }> {
  const magic = await firstBytes(createReadStream(file.path, { start: 0, end: 1 }), 2);
  const gzip = magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  const head = await firstBytes(openContent(file.path, gzip, () => {}), HEAD_BYTES + 1);
  return { gzip, head: head.subarray(0, HEAD_BYTES), headIsWhole: head.length <= HEAD_BYTES };
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
): Readable {
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  raw.on('data', (chunk) => {
    onRawChunk(chunk as Buffer);
    if (!gzip) onContentChunk?.(chunk as Buffer);
  });
  if (!gzip) return raw;
  const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: CHUNK });
  raw.on('error', (err) => gunzip.destroy(err));
  if (!onContentChunk) return raw.pipe(gunzip);
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      onContentChunk(chunk);
      done(null, chunk);
    },
  });
  gunzip.on('error', (err) => tap.destroy(err));
  return raw.pipe(gunzip).pipe(tap);
}
