import { open } from 'node:fs/promises';
import { constants as zlibConstants, createGunzip } from 'node:zlib';

/** Compressed bytes fed in one write while re-reading up to the damaged piece. */
const PREFIX_WRITE = 64 * 1024;

/**
 * Decodes a gzip file again up to the byte where zlib gives up, to keep what the damaged piece
 * held before the damage: when a write to zlib fails, Node drops that write's output, so the
 * first pass loses up to a piece of good content. The prefix before `pieceStart` is fed in large
 * writes (its output was already delivered: the first `delivered` bytes are skipped), the
 * damaged piece one byte at a time, so only the content of the damaged byte itself is lost.
 * Returns the content after `delivered` and the exact compressed offset of the damage.
 */
export async function decodeUpToDamage(
  path: string,
  pieceStart: number,
  pieceLength: number,
  delivered: number,
): Promise<{ tail: Buffer; offset: number | undefined; zlibMessage: string | undefined }> {
  const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
  let produced = 0;
  const tail: Buffer[] = [];
  gunzip.on('data', (d: Buffer) => {
    const skip = Math.max(0, delivered - produced);
    if (skip < d.length) tail.push(d.subarray(skip));
    produced += d.length;
  });
  let failure: Error | undefined;
  let pending: ((ok: boolean) => void) | undefined;
  // A write that fails never calls its callback: the error settles it.
  gunzip.on('error', (err) => {
    failure ??= err;
    pending?.(false);
  });
  const write = (bytes: Buffer): Promise<boolean> =>
    new Promise((resolve) => {
      if (failure) {
        resolve(false);
        return;
      }
      pending = resolve;
      gunzip.write(bytes, (err) => resolve(!err && !failure));
    });
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(PREFIX_WRITE, pieceLength));
    for (let pos = 0; pos < pieceStart; ) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(PREFIX_WRITE, pieceStart - pos), pos);
      if (bytesRead === 0) break;
      if (!(await write(Buffer.from(buffer.subarray(0, bytesRead))))) return { tail: Buffer.concat(tail), offset: pos, zlibMessage: failure?.message };
      pos += bytesRead;
    }
    const { bytesRead } = await file.read(buffer, 0, pieceLength, pieceStart);
    for (let i = 0; i < bytesRead; i++) {
      if (!(await write(Buffer.from(buffer.subarray(i, i + 1))))) return { tail: Buffer.concat(tail), offset: pieceStart + i, zlibMessage: failure?.message };
    }
    return { tail: Buffer.concat(tail), offset: undefined, zlibMessage: undefined };
  } finally {
    await file.close();
    gunzip.destroy();
  }
}
