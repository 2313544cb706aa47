import { closeSync, openSync, readSync } from 'node:fs';
import { ffPid, ffPrefix } from './ff-files.js';

/**
 * Groups the files of one `strace -ff -o prefix` run (`prefix.<pid>`, same prefix, no pid
 * column) so they import as one capture: the first file (lowest pid, normally the traced root)
 * leads and the others are its siblings. Every other file stays alone, in the order given.
 * Rotated logs (`audit.log.1`) are not strace text and are never grouped.
 */
export function groupStraceFfFiles(files: readonly string[]): string[][] {
  const groups = new Map<string, string[]>();
  const order: (string | string[])[] = [];
  for (const file of files) {
    const prefix = ffPrefix(file);
    if (prefix === undefined || !looksLikeFfStrace(file)) {
      order.push(file);
      continue;
    }
    let group = groups.get(prefix);
    if (!group) {
      group = [];
      groups.set(prefix, group);
      order.push(group);
    }
    group.push(file);
  }
  return order.map((item) => (typeof item === 'string' ? [item] : [...item].sort((a, b) => (ffPid(a) ?? 0) - (ffPid(b) ?? 0))));
}

/** The first line is strace text without a pid column: a time or a syscall comes first. */
function looksLikeFfStrace(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const first = buf.toString('utf8', 0, n).split('\n', 1)[0] ?? '';
    return /^(?:\d+\.\d+ |\d\d:\d\d:\d\d(?:\.\d+)? )?(?:[a-z_][a-z0-9_]*\(|\+\+\+ |--- )/.test(first);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
