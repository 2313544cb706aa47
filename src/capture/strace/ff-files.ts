import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** `prefix.<pid>` (optionally `.gz`): the per-process files `strace -ff -o prefix` writes. */
const FF_NAME = /^(.*)\.(\d+)(?:\.gz)?$/;

/** The pid an `-ff` file name carries, if it has the form `prefix.<pid>`. */
export function ffPid(path: string): number | undefined {
  const m = FF_NAME.exec(basename(path));
  return m ? Number(m[2]) : undefined;
}

/** The `prefix` of an `-ff` file (with its directory), for grouping the files of one run. */
export function ffPrefix(path: string): string | undefined {
  const m = FF_NAME.exec(path);
  return m && !m[1]!.endsWith('/') ? m[1] : undefined;
}

/** A sibling file's content, gunzipped when it starts with the gzip magic. */
export async function openSibling(path: string): Promise<Readable> {
  const magic = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    createReadStream(path, { start: 0, end: 1 })
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  if (magic[0] === 0x1f && magic[1] === 0x8b) return raw.pipe(createGunzip());
  return raw;
}
