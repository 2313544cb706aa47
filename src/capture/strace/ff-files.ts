import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
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
export function openSibling(path: string): Readable {
  const magic = Buffer.alloc(2);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, magic, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  if (magic[0] === 0x1f && magic[1] === 0x8b) return raw.pipe(createGunzip());
  return raw;
}
