import type { ExecRow, ExecKind, ProcessRow } from '../linker/rows.js';

/**
 * One bound value of an INSERT. Before the writer binds a row, the host column holds the host
 * name and the string columns (EXEC_STRING_CELLS) hold the strings themselves; the writer
 * replaces them with ids. Rows cross from the import worker in this form.
 */
export type Cell = string | number | bigint | null;

/** exec_rows columns (schema/005_narrow_execs.sql, 006_container_string_ids.sql), in cell order. */
export const EXEC_ROW_COLUMNS = [
  'exec_id',
  'process_id',
  'capture_id',
  'host_id',
  'kind',
  'parent_exec_id',
  'prev_exec_id',
  'ts_ns',
  'pid',
  'tid',
  'vpid',
  'ppid',
  'name',
  'exe_id',
  'exepath_id',
  'args',
  'arg_lengths',
  'cmdline',
  'cwd_id',
  'uid',
  'gid',
  'user_name_id',
  'env_id',
  'cgroups_id',
  'container_sid',
  'res',
  'evt_num',
  'evt_type_id',
  'source_line',
  'source_offset',
  'derived',
] as const;

/** exec_extras columns after exec_id: they follow the exec_rows cells of the same exec. */
export const EXEC_EXTRA_COLUMNS = [
  'euid',
  'loginuid',
  'tty',
  'sid',
  'pgid',
  'vpgid',
  'exe_writable',
  'exe_upper_layer',
  'exe_lower_layer',
  'exe_from_memfd',
  'cap_permitted_id',
  'cap_effective_id',
  'cap_inheritable_id',
  'attempt_exe',
  'argv_json',
] as const;

export const PROCESS_COLUMNS = [
  'process_id',
  'capture_id',
  'host_id',
  'pid',
  'vpid',
  'ppid',
  'parent_process_id',
  'start_ns',
  'end_ns',
  'exit_code',
  'exit_signal',
  'exit_core',
  'container_id',
  'origin',
  'thread_count',
  'first_exec_id',
  'last_exec_id',
] as const;

export const EXEC_ROW_WIDTH = EXEC_ROW_COLUMNS.length;
export const EXEC_EXTRA_WIDTH = EXEC_EXTRA_COLUMNS.length;
/** Cells per exec: its exec_rows cells, then its exec_extras cells. */
export const EXEC_WIDTH = EXEC_ROW_WIDTH + EXEC_EXTRA_WIDTH;
export const PROCESS_WIDTH = PROCESS_COLUMNS.length;

const rowCell = (c: (typeof EXEC_ROW_COLUMNS)[number]): number => EXEC_ROW_COLUMNS.indexOf(c);
const extraCell = (c: (typeof EXEC_EXTRA_COLUMNS)[number]): number => EXEC_ROW_WIDTH + EXEC_EXTRA_COLUMNS.indexOf(c);

/** Position of the host column, which carries the host name until it is mapped to an id. */
export const EXEC_HOST_CELL = rowCell('host_id');
export const PROCESS_HOST_CELL = 2;
export const EXEC_CONTAINER_CELL = rowCell('container_sid');
export const EXEC_DERIVED_CELL = rowCell('derived');
export const CAPTURE_CELL_EXEC = rowCell('capture_id');
export const CAPTURE_CELL_PROCESS = 1;
/** Cells that hold a string to be stored once in `strings` and referenced by its id. */
export const EXEC_STRING_CELLS = [
  rowCell('exe_id'),
  rowCell('exepath_id'),
  rowCell('cwd_id'),
  rowCell('user_name_id'),
  rowCell('env_id'),
  rowCell('cgroups_id'),
  rowCell('container_sid'),
  rowCell('evt_type_id'),
  extraCell('cap_permitted_id'),
  extraCell('cap_effective_id'),
  extraCell('cap_inheritable_id'),
];

/** `derived` bits (schema/005_narrow_execs.sql). */
export const DERIVED_ARGS = 1;
export const DERIVED_TID = 2;
export const DERIVED_ARGV_IN_EXTRAS = 4;
export const DERIVED_HAS_EXTRAS = 8;

const KIND_CODES: Record<ExecKind, number> = { exec: 0, fork: 1, snapshot: 2, inferred: 3 };

const bool = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);
const joinNul = (v: string[] | null): string | null => (v === null ? null : v.join('\0'));

/** NUL and lone surrogates: SQLite's character functions would not give them back as written. */
const UNSAFE_FOR_SQL_TEXT = /[\0\ud800-\udfff]/;

/** Length in the characters SQLite counts (code points). */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * argv is kept only when joining it with spaces loses information (an argument is empty or
 * contains a space). It is then stored as the arguments' lengths, from which the view cuts
 * them back out of args; arguments SQLite's substr could not cut exactly go to exec_extras.
 */
function argvCells(argv: string[] | null, b: Cell[], lengthsAt: number, jsonAt: number): number {
  if (argv === null) return 0;
  let lossy = false;
  for (const a of argv) {
    if (a === '' || a.includes(' ')) {
      lossy = true;
      break;
    }
  }
  if (!lossy) return 0;
  for (const a of argv) {
    if (UNSAFE_FOR_SQL_TEXT.test(a)) {
      b[jsonAt] = JSON.stringify(argv);
      return DERIVED_ARGV_IN_EXTRAS;
    }
  }
  let lengths = '[';
  for (let k = 0; k < argv.length; k++) lengths += (k === 0 ? '' : ',') + codePoints(argv[k] as string);
  b[lengthsAt] = `${lengths}]`;
  return 0;
}

/** args need not be stored when the view can cut them out of cmdline (after name and a space). */
function argsAreDerived(r: ExecRow): boolean {
  if (r.name === null || r.args === null || r.cmdline === null) return false;
  return r.cmdline === (r.args ? `${r.name} ${r.args}` : r.name) && !UNSAFE_FOR_SQL_TEXT.test(r.cmdline);
}

/**
 * Writes an exec's cells at `b[i…]`: EXEC_ROW_COLUMNS then EXEC_EXTRA_COLUMNS (capture id left
 * 0, host as its name, string columns as strings).
 */
export function putExecCells(r: ExecRow, b: Cell[], i: number): void {
  const argsDerived = argsAreDerived(r);
  const tidDerived = r.tid !== null && r.tid === r.pid;
  b[i] = r.execId;
  b[i + 1] = r.processId;
  b[i + 2] = 0;
  b[i + 3] = r.host;
  b[i + 4] = KIND_CODES[r.kind];
  b[i + 5] = r.parentExecId;
  b[i + 6] = r.prevExecId;
  b[i + 7] = r.ts;
  b[i + 8] = r.pid;
  b[i + 9] = tidDerived ? null : r.tid;
  b[i + 10] = r.vpid;
  b[i + 11] = r.ppid;
  b[i + 12] = r.name;
  b[i + 13] = r.exe;
  b[i + 14] = r.exepath;
  b[i + 15] = argsDerived ? null : r.args;
  b[i + 16] = null;
  b[i + 17] = r.cmdline;
  b[i + 18] = r.cwd;
  b[i + 19] = r.uid;
  b[i + 20] = r.gid;
  b[i + 21] = r.user;
  b[i + 22] = joinNul(r.env);
  b[i + 23] = joinNul(r.cgroups);
  b[i + 24] = r.containerId;
  b[i + 25] = r.res;
  b[i + 26] = r.evtNum;
  b[i + 27] = r.evtType;
  b[i + 28] = r.line;
  b[i + 29] = r.offset;
  const x = i + EXEC_ROW_WIDTH;
  b[x] = r.euid;
  b[x + 1] = r.loginuid;
  b[x + 2] = r.tty;
  b[x + 3] = r.sid;
  b[x + 4] = r.pgid;
  b[x + 5] = r.vpgid;
  b[x + 6] = bool(r.exeWritable);
  b[x + 7] = bool(r.exeUpperLayer);
  b[x + 8] = bool(r.exeLowerLayer);
  b[x + 9] = bool(r.exeFromMemfd);
  b[x + 10] = r.capPermitted;
  b[x + 11] = r.capEffective;
  b[x + 12] = r.capInheritable;
  b[x + 13] = r.attemptExe;
  b[x + 14] = null;
  let derived = (argsDerived ? DERIVED_ARGS : 0) | (tidDerived ? DERIVED_TID : 0);
  derived |= argvCells(r.argv, b, i + 16, x + 14);
  for (let k = x; k < x + EXEC_EXTRA_WIDTH; k++) {
    if (b[k] !== null) {
      derived |= DERIVED_HAS_EXTRAS;
      break;
    }
  }
  b[i + 30] = derived;
}

/** Writes a process row's cells at `b[i…]` in PROCESS_COLUMNS order (capture id left 0). */
export function putProcessCells(r: ProcessRow, b: Cell[], i: number): void {
  b[i++] = r.processId;
  b[i++] = 0;
  b[i++] = r.host;
  b[i++] = r.pid;
  b[i++] = r.vpid;
  b[i++] = r.ppid;
  b[i++] = r.parentProcessId;
  b[i++] = r.startNs;
  b[i++] = r.endNs;
  b[i++] = r.exitCode;
  b[i++] = r.exitSignal;
  b[i++] = bool(r.exitCore);
  b[i++] = r.containerId;
  b[i++] = r.origin;
  b[i++] = r.threadCount;
  b[i++] = r.firstExecId;
  b[i++] = r.lastExecId;
}
