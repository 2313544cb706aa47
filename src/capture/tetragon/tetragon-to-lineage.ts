import type { ExecEvent, ExitEvent, LineageEvent, ParentHint } from '../../events/lineage-event.js';
import { signalNumber } from '../strace/kernel-names.js';
import { BadRecord } from '../record-errors.js';
import { isoToNs } from '../time-parse.js';
import { containerEvent, num, processAttrs, startNs, type TetragonProcess } from './tetragon-process.js';

/** Event kinds whose `process` (and `parent`) describe a running image. */
const PROCESS_EVENTS = [
  'process_exec',
  'process_exit',
  'process_kprobe',
  'process_tracepoint',
  'process_uprobe',
  'process_lsm',
  'process_loader',
  'process_connect',
  'process_close',
  'process_listen',
];

/**
 * Tetragon events → lineage. Every exec_id is one image; a process keeps the exec_id of its
 * first image as its identity, so an exec in place (no `clone` flag, same pid as its parent
 * image) continues the parent's process instead of starting a new one. An event about an image
 * whose exec was not exported (kprobe, exit, or an exec filtered out) first yields that exec.
 */
export class TetragonLineage {
  /** exec_id → the exec_id the process is known by (its first image). */
  private readonly processOf = new Map<string, string>();
  private readonly pidOf = new Map<string, number>();
  private readonly containers = new Set<string>();

  constructor(private readonly defaultHost: string) {}

  convert(obj: Record<string, unknown>): LineageEvent[] {
    const kind = PROCESS_EVENTS.find((k) => obj[k] !== undefined);
    if (!kind) return [];
    const body = obj[kind] as Record<string, unknown>;
    const proc = body.process as TetragonProcess | undefined;
    if (!proc || typeof proc !== 'object') throw new BadRecord(`${kind} without "process"`);
    const host = typeof obj.node_name === 'string' ? obj.node_name : this.defaultHost;
    const time = typeof obj.time === 'string' ? isoToNs(obj.time) : undefined;
    const ts = time ?? startNs(proc) ?? 0n;
    const parent = body.parent as TetragonProcess | undefined;
    const out: LineageEvent[] = [];
    for (const p of [parent, proc]) {
      const c = p ? containerEvent(p, host, ts) : undefined;
      if (c && !this.containers.has(c.id)) {
        this.containers.add(c.id);
        out.push(c);
      }
    }
    const ancestors = Array.isArray(body.ancestors) ? (body.ancestors as TetragonProcess[]) : [];
    // Ancestors come parent's parent first; their execs are asserted from the top down.
    for (const a of [...ancestors].reverse()) this.execOf(a, undefined, host, out, ts);
    if (kind === 'process_exec') {
      this.execOf(proc, parent, host, out, time ?? startNs(proc) ?? 0n, true);
      return out;
    }
    this.execOf(proc, parent, host, out, startNs(proc) ?? ts);
    if (kind === 'process_exit') {
      const pid = num(proc.pid);
      if (pid === undefined) throw new BadRecord('process_exit without process.pid');
      const exit: ExitEvent = { kind: 'exit', host, ts, pid };
      const guid = proc.exec_id ? this.processOf.get(proc.exec_id) : undefined;
      if (guid) exit.guid = guid;
      const status = num(body.status);
      const signal = typeof body.signal === 'string' && body.signal !== '' ? signalNumber(body.signal) : undefined;
      if (signal !== undefined) exit.signal = signal;
      else exit.code = status ?? 0;
      out.push(exit);
    }
    return out;
  }

  /** The exec of image `p`, once per exec_id. */
  private execOf(p: TetragonProcess, parent: TetragonProcess | undefined, host: string, out: LineageEvent[], ts: bigint, always = false): void {
    const id = p.exec_id;
    if (id && this.processOf.has(id) && !always) return;
    if (id && this.processOf.has(id)) return;
    const pid = num(p.pid);
    if (pid === undefined) throw new BadRecord('process without pid');
    const ev: ExecEvent = Object.assign({ kind: 'exec' as const, host, ts, pid, ok: true }, processAttrs(p));
    const vpid = num(p.pod?.container?.pid);
    if (vpid !== undefined) ev.vpid = vpid;
    const tid = num(p.tid);
    if (tid !== undefined && tid !== pid) ev.tid = tid;
    const parentId = p.parent_exec_id ?? parent?.exec_id;
    const parentProcess = parentId ? this.processOf.get(parentId) : undefined;
    const parentPid = num(parent?.pid) ?? (parentId ? this.pidOf.get(parentId) : undefined);
    const flags = p.flags?.split(/\s+/) ?? [];
    const inPlace = !flags.includes('clone') && !flags.includes('procFS') && parentPid === pid && parentProcess !== undefined;
    const guid = inPlace ? parentProcess : id;
    if (guid) ev.guid = guid;
    if (id) {
      this.processOf.set(id, guid ?? id);
      this.pidOf.set(id, pid);
    }
    if (!inPlace && parentPid !== undefined) {
      ev.ppid = parentPid;
      const hint: ParentHint = Object.assign({ pid: parentPid }, parent ? processAttrs(parent) : {});
      const hintGuid = parentProcess ?? parentId;
      if (hintGuid) {
        hint.guid = hintGuid;
        ev.parentGuid = hintGuid;
      }
      ev.parent = hint;
    }
    out.push(ev);
  }
}
