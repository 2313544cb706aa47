import type { ExecRow, ProcessRow } from '../linker/rows.js';

/** One bound value of an INSERT. The host column holds the host name until the writer maps it to its id. */
export type Cell = string | number | bigint | null;

export const EXEC_COLUMNS = [
  'exec_id', 'process_id', 'capture_id', 'host_id', 'kind', 'parent_exec_id', 'prev_exec_id', 'ts_ns',
  'pid', 'tid', 'vpid', 'ppid', 'name', 'exe', 'exepath', 'args', 'argv_json', 'cmdline', 'cwd',
  'uid', 'gid', 'euid', 'loginuid', 'user_name', 'tty', 'sid', 'pgid', 'vpgid', 'env', 'cgroups',
  'container_id', 'exe_writable', 'exe_upper_layer', 'exe_lower_layer', 'exe_from_memfd',
  'cap_permitted', 'cap_effective', 'cap_inheritable', 'res', 'attempt_exe', 'evt_num', 'evt_type',
  'source_line', 'source_offset',
] as const;

export const PROCESS_COLUMNS = [
  'process_id', 'capture_id', 'host_id', 'pid', 'vpid', 'ppid', 'parent_process_id', 'start_ns',
  'end_ns', 'exit_code', 'exit_signal', 'exit_core', 'container_id', 'origin', 'thread_count',
  'first_exec_id', 'last_exec_id',
] as const;

export const EXEC_WIDTH = EXEC_COLUMNS.length;
export const PROCESS_WIDTH = PROCESS_COLUMNS.length;
/** Position of the host column, which carries the host name until it is mapped to an id. */
export const EXEC_HOST_CELL = 3;
export const PROCESS_HOST_CELL = 2;
export const EXEC_CONTAINER_CELL = EXEC_COLUMNS.indexOf('container_id');
export const CAPTURE_CELL_EXEC = 2;
export const CAPTURE_CELL_PROCESS = 1;

const bool = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);
const joinNul = (v: string[] | null): string | null => (v === null ? null : v.join('\0'));

/** argv is stored as JSON only when joining it with spaces loses information. */
function argvJson(argv: string[] | null): string | null {
  if (argv === null) return null;
  for (const a of argv) if (a === '' || a.includes(' ')) return JSON.stringify(argv);
  return null;
}

/** Writes an exec row's cells at `b[i…]` in EXEC_COLUMNS order (capture id left 0). */
export function putExecCells(r: ExecRow, b: Cell[], i: number): void {
  b[i++] = r.execId; b[i++] = r.processId; b[i++] = 0; b[i++] = r.host;
  b[i++] = r.kind; b[i++] = r.parentExecId; b[i++] = r.prevExecId; b[i++] = r.ts;
  b[i++] = r.pid; b[i++] = r.tid; b[i++] = r.vpid; b[i++] = r.ppid; b[i++] = r.name; b[i++] = r.exe;
  b[i++] = r.exepath; b[i++] = r.args; b[i++] = argvJson(r.argv);
  b[i++] = r.cmdline; b[i++] = r.cwd; b[i++] = r.uid; b[i++] = r.gid; b[i++] = r.euid; b[i++] = r.loginuid;
  b[i++] = r.user; b[i++] = r.tty; b[i++] = r.sid; b[i++] = r.pgid; b[i++] = r.vpgid;
  b[i++] = joinNul(r.env); b[i++] = joinNul(r.cgroups); b[i++] = r.containerId; b[i++] = bool(r.exeWritable);
  b[i++] = bool(r.exeUpperLayer); b[i++] = bool(r.exeLowerLayer); b[i++] = bool(r.exeFromMemfd);
  b[i++] = r.capPermitted; b[i++] = r.capEffective; b[i++] = r.capInheritable; b[i++] = r.res;
  b[i++] = r.attemptExe; b[i++] = r.evtNum; b[i++] = r.evtType; b[i++] = r.line; b[i++] = r.offset;
}

/** Writes a process row's cells at `b[i…]` in PROCESS_COLUMNS order (capture id left 0). */
export function putProcessCells(r: ProcessRow, b: Cell[], i: number): void {
  b[i++] = r.processId; b[i++] = 0; b[i++] = r.host; b[i++] = r.pid; b[i++] = r.vpid;
  b[i++] = r.ppid; b[i++] = r.parentProcessId; b[i++] = r.startNs; b[i++] = r.endNs; b[i++] = r.exitCode;
  b[i++] = r.exitSignal; b[i++] = bool(r.exitCore); b[i++] = r.containerId; b[i++] = r.origin;
  b[i++] = r.threadCount; b[i++] = r.firstExecId; b[i++] = r.lastExecId;
}
