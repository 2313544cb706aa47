import type { ImageAttrs } from '../events/lineage-event.js';
import type { ExecRow } from './rows.js';

/** The columns of an exec row that describe the program image itself. */
export type ImageFields = Pick<
  ExecRow,
  | 'name'
  | 'exe'
  | 'exepath'
  | 'args'
  | 'argv'
  | 'cmdline'
  | 'cwd'
  | 'uid'
  | 'gid'
  | 'euid'
  | 'loginuid'
  | 'user'
  | 'tty'
  | 'sid'
  | 'pgid'
  | 'vpgid'
  | 'env'
  | 'cgroups'
  | 'exeWritable'
  | 'exeUpperLayer'
  | 'exeLowerLayer'
  | 'exeFromMemfd'
  | 'capPermitted'
  | 'capEffective'
  | 'capInheritable'
>;

/** Linux truncates comm to 15 bytes (TASK_COMM_LEN 16 with the NUL). */
const COMM_MAX = 15;

/**
 * The image fields of a new row from what the event says. A new program (exec, snapshot) takes
 * its program fields only from the event; context that survives exec (cwd, ids, tty, session,
 * cgroups) falls back to the previous image. A fork image copies its parent's where the event is
 * silent. `previous` is only read: the previous exec row itself serves, without a copy.
 */
export function imageRowFromAttrs(attrs: ImageAttrs, previous: ImageFields | null, options: { newProgram?: boolean } = {}): ImageFields {
  const prog = options.newProgram ? null : previous;
  const ctx = previous;
  const exepath = attrs.exepath ?? prog?.exepath ?? null;
  const exe = attrs.exe ?? prog?.exe ?? null;
  const name = attrs.comm ?? prog?.name ?? commFromPath(exepath ?? exe ?? firstToken(attrs.cmdline)) ?? null;

  let args: string | null;
  let argv: string[] | null;
  if (attrs.args) {
    argv = attrs.args;
    args = attrs.args.join(' ');
  } else if (attrs.cmdline !== undefined) {
    argv = null;
    args = restAfterFirstToken(attrs.cmdline);
  } else {
    argv = prog?.argv ?? null;
    args = prog?.args ?? null;
  }
  const argsKnown = attrs.args !== undefined || attrs.cmdline !== undefined;
  const cmdline = !argsKnown && prog ? prog.cmdline : name !== null ? (args ? `${name} ${args}` : name) : (attrs.cmdline ?? null);

  return {
    name,
    exe: exe ?? (attrs.cmdline !== undefined ? (firstToken(attrs.cmdline) ?? null) : null),
    exepath,
    args,
    argv,
    cmdline,
    cwd: attrs.cwd ?? ctx?.cwd ?? null,
    uid: attrs.uid ?? ctx?.uid ?? null,
    gid: attrs.gid ?? ctx?.gid ?? null,
    euid: attrs.euid ?? ctx?.euid ?? null,
    loginuid: attrs.loginuid ?? ctx?.loginuid ?? null,
    user: attrs.user ?? (attrs.uid === undefined ? (ctx?.user ?? null) : null),
    tty: attrs.tty ?? ctx?.tty ?? null,
    sid: attrs.sid ?? ctx?.sid ?? null,
    pgid: attrs.pgid ?? ctx?.pgid ?? null,
    vpgid: attrs.vpgid ?? ctx?.vpgid ?? null,
    env: attrs.env ?? prog?.env ?? null,
    cgroups: attrs.cgroups ?? ctx?.cgroups ?? null,
    exeWritable: attrs.exeWritable ?? prog?.exeWritable ?? null,
    exeUpperLayer: attrs.exeUpperLayer ?? prog?.exeUpperLayer ?? null,
    exeLowerLayer: attrs.exeLowerLayer ?? prog?.exeLowerLayer ?? null,
    exeFromMemfd: attrs.exeFromMemfd ?? prog?.exeFromMemfd ?? null,
    capPermitted: attrs.capPermitted ?? prog?.capPermitted ?? null,
    capEffective: attrs.capEffective ?? prog?.capEffective ?? null,
    capInheritable: attrs.capInheritable ?? prog?.capInheritable ?? null,
  };
}

/** comm as the kernel would set it from an executable path: basename, 15 bytes. */
export function commFromPath(path: string | null | undefined): string | null {
  if (!path) return null;
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === '' ? null : base.slice(0, COMM_MAX);
}

function firstToken(cmdline: string | undefined): string | undefined {
  if (cmdline === undefined) return undefined;
  const trimmed = cmdline.trimStart();
  const space = trimmed.indexOf(' ');
  return space < 0 ? trimmed : trimmed.slice(0, space);
}

function restAfterFirstToken(cmdline: string): string | null {
  const trimmed = cmdline.trimStart();
  const space = trimmed.indexOf(' ');
  if (space < 0) return null;
  const rest = trimmed.slice(space + 1).trim();
  return rest === '' ? null : rest;
}
