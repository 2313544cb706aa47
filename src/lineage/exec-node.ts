import type BetterSqlite3 from 'better-sqlite3';
import { prepared } from '../db/statement-cache.js';

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

/**
 * The SELECT list that produces an ExecNode from `execs e` joined as in EXEC_NODE_JOINS. Its
 * order is execNodeFromArray's: change both together.
 */
export const EXEC_NODE_COLUMNS = `e.exec_id, e.process_id, e.kind, h.hostname, e.pid, e.vpid, e.ppid, e.name, e.exe,
  e.exepath, e.cmdline, e.cwd, e.uid, e.user_name, e.container_id, c.name AS container_name, c.pod_name,
  e.ts_ns, e.res, e.parent_exec_id, p.start_ns, p.end_ns, p.exit_code, p.exit_signal, p.origin`;

export const EXEC_NODE_JOINS = `JOIN processes p ON p.process_id = e.process_id
  JOIN hosts h ON h.host_id = e.host_id
  LEFT JOIN containers c ON c.container_id = e.container_id`;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as bigint));

/**
 * An ExecNode from a raw result row (an array) whose EXEC_NODE_COLUMNS start at `at`. Reading
 * arrays by position instead of objects by name halves the cost of a 31-row ancestry.
 */
export function execNodeFromArray(r: readonly unknown[], at = 0): ExecNode {
  return {
    execId: Number(r[at]),
    processId: Number(r[at + 1]),
    kind: String(r[at + 2]),
    host: String(r[at + 3]),
    pid: Number(r[at + 4]),
    vpid: num(r[at + 5]),
    ppid: num(r[at + 6]),
    name: str(r[at + 7]),
    exe: str(r[at + 8]),
    exepath: str(r[at + 9]),
    cmdline: str(r[at + 10]),
    cwd: str(r[at + 11]),
    uid: num(r[at + 12]),
    user: str(r[at + 13]),
    containerId: str(r[at + 14]),
    containerName: str(r[at + 15]),
    podName: str(r[at + 16]),
    tsNs: big(r[at + 17]),
    res: num(r[at + 18]),
    parentExecId: num(r[at + 19]),
    processStartNs: big(r[at + 20]),
    processEndNs: big(r[at + 21]),
    exitCode: num(r[at + 22]),
    exitSignal: num(r[at + 23]),
    origin: String(r[at + 24]),
  };
}

/** Runs a lineage query in raw (array) mode; its statement is prepared once per connection. */
export function rawRows(db: BetterSqlite3.Database, sql: string, params: readonly unknown[]): unknown[][] {
  return prepared(db, sql)
    .raw(true)
    .all(...params) as unknown[][];
}
