import type { LineageEvent } from '../../src/events/lineage-event.js';
import { Linker, type RowSink } from '../../src/linker/linker.js';
import type { ExecRow, ProcessRow } from '../../src/linker/rows.js';

export interface Linked {
  processes: ProcessRow[];
  execs: ExecRow[];
  /** The process row with this pid (the only one, or the n-th lifetime). */
  proc(pid: number, nth?: number, host?: string): ProcessRow;
  /** Exec rows of kind 'exec' for a pid, in order. */
  execsOf(pid: number, host?: string): ExecRow[];
  exec(execId: number | null): ExecRow;
}

/** Runs events through a fresh linker and collects its rows. */
export function link(events: LineageEvent[]): Linked {
  const processes: ProcessRow[] = [];
  const execs: ExecRow[] = [];
  const sink: RowSink = {
    process: (r) => processes.push(r),
    exec: (r) => execs.push(r),
    container: () => {},
    user: () => {},
    hostInfo: () => {},
    alert: () => {},
  };
  const linker = new Linker(sink, { firstProcessId: 1, firstExecId: 1 });
  for (const ev of events) linker.push(ev);
  linker.finish();
  processes.sort((a, b) => a.processId - b.processId);
  return {
    processes,
    execs,
    proc(pid, nth = 0, host) {
      const rows = processes.filter((p) => p.pid === pid && (host === undefined || p.host === host));
      const row = rows[nth];
      if (!row) throw new Error(`no process ${pid}#${nth}`);
      return row;
    },
    execsOf(pid, host) {
      return execs.filter((e) => e.pid === pid && e.kind === 'exec' && (host === undefined || e.host === host));
    },
    exec(execId) {
      const row = execs.find((e) => e.execId === execId);
      if (!row) throw new Error(`no exec ${execId}`);
      return row;
    },
  };
}

/** Terse event builders for hand-written sequences. */
let clock = 1_700_000_000_000_000_000n;
export const at = (): bigint => (clock += 1_000_000n);
const H = 'host-a';
export const fork = (pid: number, ppid: number, extra: Partial<LineageEvent> = {}): LineageEvent =>
  ({ kind: 'fork', host: H, ts: at(), pid, ppid, ...extra }) as LineageEvent;
export const exec = (pid: number, comm: string, args: string[] = [], extra: Record<string, unknown> = {}): LineageEvent =>
  ({ kind: 'exec', host: H, ts: at(), pid, ok: true, comm, exe: comm, exepath: `/usr/bin/${comm}`, args, ...extra }) as LineageEvent;
export const exit = (pid: number, extra: Record<string, unknown> = {}): LineageEvent =>
  ({ kind: 'exit', host: H, ts: at(), pid, code: 0, ...extra }) as LineageEvent;
export const snap = (pid: number, ppid: number, comm: string, extra: Record<string, unknown> = {}): LineageEvent =>
  ({ kind: 'snapshot', host: H, ts: at(), pid, ppid, comm, exe: comm, args: [], ...extra }) as LineageEvent;
