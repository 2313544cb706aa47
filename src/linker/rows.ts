/** The rows the linker produces for the writer, one interface per table. Pure data, no SQL. */

export type ExecKind = 'exec' | 'fork' | 'snapshot' | 'inferred';
export type ProcessOrigin = 'fork' | 'snapshot' | 'inferred';

export interface ExecRow {
  execId: number;
  processId: number;
  host: string;
  kind: ExecKind;
  parentExecId: number | null;
  prevExecId: number | null;
  ts: bigint | null;
  pid: number;
  tid: number | null;
  vpid: number | null;
  ppid: number | null;
  name: string | null;
  exe: string | null;
  exepath: string | null;
  /** argv[1..] joined by single spaces. */
  args: string | null;
  /** argv[1..] exactly, when the source had the array. */
  argv: string[] | null;
  cmdline: string | null;
  cwd: string | null;
  uid: number | null;
  gid: number | null;
  euid: number | null;
  loginuid: number | null;
  user: string | null;
  tty: number | null;
  sid: number | null;
  pgid: number | null;
  vpgid: number | null;
  env: string[] | null;
  cgroups: string[] | null;
  containerId: string | null;
  exeWritable: boolean | null;
  exeUpperLayer: boolean | null;
  exeLowerLayer: boolean | null;
  exeFromMemfd: boolean | null;
  capPermitted: string | null;
  capEffective: string | null;
  capInheritable: string | null;
  /** 0 success, negative errno for a failed exec, null for fork/snapshot rows. */
  res: number | null;
  /** For a failed exec: the program it tried to run. */
  attemptExe: string | null;
  evtNum: number | null;
  evtType: string | null;
  line: number | null;
  offset: number | null;
}

export interface ProcessRow {
  processId: number;
  host: string;
  pid: number;
  vpid: number | null;
  ppid: number | null;
  parentProcessId: number | null;
  startNs: bigint | null;
  endNs: bigint | null;
  exitCode: number | null;
  exitSignal: number | null;
  exitCore: boolean | null;
  containerId: string | null;
  origin: ProcessOrigin;
  threadCount: number;
  firstExecId: number | null;
  lastExecId: number | null;
}
