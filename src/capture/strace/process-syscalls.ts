import type { ExecEvent } from '../../events/lineage-event.js';
import { BadRecord } from '../record-errors.js';
import { parseCString, parseCStringArray } from './c-string.js';

/** What an execve/execveat line says about the new image. */
export interface ExecArgs {
  path: string | undefined;
  argv: string[] | undefined;
  truncated: boolean;
  syscall: NonNullable<ExecEvent['syscall']>;
}

/**
 * `execve("path", ["argv0", …], envp)` or `execveat(dirfd, "path", [...], envp, flags)`; with
 * `-y` the dirfd shows its file (`3</usr/bin/true>`), which is what fexecve ran.
 */
export function execArgs(name: 'execve' | 'execveat', args: string): ExecArgs {
  let i = 0;
  let fdPath: string | undefined;
  if (name === 'execveat') {
    const m = /^\s*(?:AT_FDCWD|-?\d+)(?:<([^>]*)>)?,\s*/.exec(args);
    if (!m) throw new BadRecord('execveat: unreadable dirfd');
    fdPath = m[1];
    i = m[0].length;
  }
  const path = parseCString(args, i);
  if (!path) throw new BadRecord(`${name}: expected the path as a string`);
  i = path.end;
  while (args[i] === ',' || args[i] === ' ') i++;
  const argv = parseCStringArray(args, i);
  let file = path.value;
  if (name === 'execveat' && (file === '' || !file.startsWith('/'))) {
    file = file === '' ? (fdPath ?? '') : fdPath ? `${fdPath}/${file}` : file;
  }
  return {
    path: file === '' ? undefined : file,
    argv: argv?.value,
    truncated: path.truncated || (argv?.truncated ?? false),
    syscall: name,
  };
}

export interface CloneArgs {
  thread: boolean;
  parent: boolean;
  flags: string | undefined;
}

/** The flags of clone (`flags=A|B`) or clone3 (`{flags=A|B, …}`); fork/vfork have none. */
export function cloneArgs(args: string): CloneArgs {
  const m = /flags=([A-Z0-9_|]+)/.exec(args);
  const flags = m?.[1];
  const set = new Set(flags?.split('|') ?? []);
  return { thread: set.has('CLONE_THREAD'), parent: set.has('CLONE_PARENT'), flags };
}
