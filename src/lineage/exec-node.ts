/** One program image as the lineage commands and the TUI show it. */
export interface ExecNode {
  execId: number;
  processId: number;
  kind: string;
  host: string;
  pid: number;
  vpid: number | null;
  ppid: number | null;
  name: string | null;
  exe: string | null;
  exepath: string | null;
  cmdline: string | null;
  cwd: string | null;
  uid: number | null;
  user: string | null;
  containerId: string | null;
  containerName: string | null;
  podName: string | null;
  tsNs: bigint | null;
  res: number | null;
  parentExecId: number | null;
  processStartNs: bigint | null;
  processEndNs: bigint | null;
  exitCode: number | null;
  exitSignal: number | null;
  origin: string;
}

/** The SELECT list that produces an ExecNode from `execs e` joined as in EXEC_NODE_FROM. */
export const EXEC_NODE_COLUMNS = `e.exec_id, e.process_id, e.kind, h.hostname, e.pid, e.vpid, e.ppid, e.name, e.exe,
  e.exepath, e.cmdline, e.cwd, e.uid, e.user_name, e.container_id, c.name AS container_name, c.pod_name,
  e.ts_ns, e.res, e.parent_exec_id, p.start_ns, p.end_ns, p.exit_code, p.exit_signal, p.origin`;

export const EXEC_NODE_JOINS = `JOIN processes p ON p.process_id = e.process_id
  JOIN hosts h ON h.host_id = e.host_id
  LEFT JOIN containers c ON c.container_id = e.container_id`;

type Raw = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as bigint));

export function execNodeFromRow(r: Raw): ExecNode {
  return {
    execId: Number(r.exec_id),
    processId: Number(r.process_id),
    kind: String(r.kind),
    host: String(r.hostname),
    pid: Number(r.pid),
    vpid: num(r.vpid),
    ppid: num(r.ppid),
    name: str(r.name),
    exe: str(r.exe),
    exepath: str(r.exepath),
    cmdline: str(r.cmdline),
    cwd: str(r.cwd),
    uid: num(r.uid),
    user: str(r.user_name),
    containerId: str(r.container_id),
    containerName: str(r.container_name),
    podName: str(r.pod_name),
    tsNs: big(r.ts_ns),
    res: num(r.res),
    parentExecId: num(r.parent_exec_id),
    processStartNs: big(r.start_ns),
    processEndNs: big(r.end_ns),
    exitCode: num(r.exit_code),
    exitSignal: num(r.exit_signal),
    origin: String(r.origin),
  };
}
