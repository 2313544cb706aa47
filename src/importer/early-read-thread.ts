import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { SHB, SHB_MAGIC } from '../capture/scap/block-types.js';
import { ReadingHashThread } from './read-hash-thread.js';

/**
 * A plain file a reader takes in chunks (.scap) is read and hashed by a helper thread from this
 * size on: the importing thread then neither reads nor hashes. At 100 MB it took the importing
 * thread from 0.27 to 0.19 s of CPU for ~0.05 s more CPU in all (the thread's start), a gain in
 * wall time whenever a second core is free, a small loss on a saturated machine.
 */
export const READ_THREAD_MIN_BYTES = 64 * 1024 * 1024;

/** The thread started ahead of the import, and the path it reads. */
let early: { path: string; thread: ReadingHashThread } | null = null;

/**
 * Starts the reading and hashing thread of the first large plain .scap among `args` (the import
 * command's arguments, before they are parsed), so that the thread boots (~40 ms of CPU) and
 * reads ahead while the command loads and opens the case, instead of after. The import takes it
 * (takeEarlyReadThread) when it reads that file; one it never takes does not keep the process alive.
 */
export function startEarlyReadThread(args: readonly string[]): void {
  if (early !== null) return;
  const path = args.find((a) => !a.startsWith('-') && isLargePlainScap(a));
  if (path === undefined) return;
  try {
    early = { path, thread: new ReadingHashThread(path, null) };
  } catch {
    // The import itself will say why the file cannot be read.
  }
}

/** The thread started early for `path`, if one was (once: later imports start their own). */
export function takeEarlyReadThread(path: string): ReadingHashThread | null {
  if (early === null || early.path !== path) return null;
  const { thread } = early;
  early = null;
  return thread;
}

function isLargePlainScap(path: string): boolean {
  let fd: number | null = null;
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size < READ_THREAD_MIN_BYTES) return false;
    fd = openSync(path, 'r');
    const head = Buffer.alloc(12);
    return readSync(fd, head, 0, 12, 0) === 12 && head.readUInt32LE(0) === SHB && head.readUInt32LE(8) === SHB_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
