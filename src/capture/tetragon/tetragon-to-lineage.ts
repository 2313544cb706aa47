import type { ExecEvent, ExitEvent, LineageEvent, ParentHint } from '../../events/lineage-event.js';
import { signalNumber } from '../strace/kernel-names.js';
import { BadRecord } from '../record-errors.js';
import { isRegexSpace } from '../regex-space.js';
import { isoToNs } from '../time-parse.js';
import { ImageTable } from './image-table.js';
import { containerEvent, containerIdOf, num, processAttrs, startNs, type TetragonProcess } from './tetragon-process.js';

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
  private readonly containers = new Set<string>();

  constructor(
    private readonly defaultHost: string,
    /** exec_id → the exec_id the process is known by (its first image), and its pid. */
    readonly images = new ImageTable(),
  ) {}

  convert(obj: Record<string, unknown>): LineageEvent[] {
    const kind = eventKind(obj);
    if (!kind) return [];
    const body = obj[kind] as Record<string, unknown>;
    const proc = body.process as TetragonProcess | undefined;
    if (!proc || typeof proc !== 'object') throw new BadRecord(`${kind} without "process"`);
    const host = typeof obj.node_name === 'string' ? obj.node_name : this.defaultHost;
    const time = typeof obj.time === 'string' ? isoToNs(obj.time) : undefined;
    const start = time === undefined ? startNs(proc) : undefined;
    const ts = time ?? start ?? 0n;
    const parent = body.parent as TetragonProcess | undefined;
    const out: LineageEvent[] = [];
    if (parent) this.containerOnce(parent, host, ts, out);
    this.containerOnce(proc, host, ts, out);
    // Ancestors come parent's parent first; their execs are asserted from the top down.
    const ancestors = body.ancestors;
    if (Array.isArray(ancestors)) for (let i = ancestors.length - 1; i >= 0; i--) this.execOf(ancestors[i] as TetragonProcess, undefined, host, out, ts, false);
    if (kind === 'process_exec') {
      this.execOf(proc, parent, host, out, ts, true);
      return out;
    }
    this.execOf(proc, parent, host, out, (time === undefined ? start : startNs(proc)) ?? ts, false);
    if (kind === 'process_exit') {
      const pid = num(proc.pid);
      if (pid === undefined) throw new BadRecord('process_exit without process.pid');
      const exit: ExitEvent = { kind: 'exit', host, ts, pid };
      const guid = proc.exec_id ? this.images.get(proc.exec_id)?.process : undefined;
      if (guid) exit.guid = guid;
      if (proc.exec_id) this.images.end(proc.exec_id);
      const status = num(body.status);
      const signal = typeof body.signal === 'string' && body.signal !== '' ? signalNumber(body.signal) : undefined;
      if (signal !== undefined) exit.signal = signal;
      else exit.code = status ?? 0;
      out.push(exit);
    }
    return out;
  }

  /** The container event of the first process seen in each container (built only then: its image name is parsed). */
  private containerOnce(p: TetragonProcess, host: string, ts: bigint, out: LineageEvent[]): void {
    const id = containerIdOf(p);
    if (!id || this.containers.has(id)) return;
    const c = containerEvent(p, host, ts);
    if (!c) return;
    this.containers.add(c.id);
    out.push(c);
  }

  /** The exec of image `p`, once per exec_id (`born`: the event is the image's own exec, so the id is new unless the export repeats it). */
  private execOf(p: TetragonProcess, parent: TetragonProcess | undefined, host: string, out: LineageEvent[], ts: bigint, born: boolean): void {
    const id = p.exec_id;
    if (id && (born ? this.images.peek(id) : this.images.get(id)) !== undefined) return;
    const pid = num(p.pid);
    if (pid === undefined) throw new BadRecord('process without pid');
    const ev = processAttrs(p, { kind: 'exec', host, ts, pid, ok: true } as ExecEvent) as ExecEvent;
    const vpid = num(p.pod?.container?.pid);
    if (vpid !== undefined) ev.vpid = vpid;
    const tid = num(p.tid);
    if (tid !== undefined && tid !== pid) ev.tid = tid;
    const parentId = p.parent_exec_id ?? parent?.exec_id;
    const known = parentId ? this.images.get(parentId) : undefined;
    const parentProcess = known?.process;
    const parentPid = num(parent?.pid) ?? known?.pid;
    const inPlace = parentPid === pid && parentProcess !== undefined && !hasFlag(p.flags, 'clone') && !hasFlag(p.flags, 'procFS');
    const guid = inPlace ? parentProcess : id;
    if (guid) ev.guid = guid;
    if (id) this.images.set(id, { process: guid ?? id, pid });
    // The image this one replaced no longer runs; its children may still name it.
    if (inPlace && parentId) this.images.end(parentId);
    if (!inPlace && parentPid !== undefined) {
      ev.ppid = parentPid;
      const hint: ParentHint = { pid: parentPid };
      if (parent) processAttrs(parent, hint);
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

function eventKind(obj: Record<string, unknown>): string | undefined {
  for (const k of PROCESS_EVENTS) if (obj[k] !== undefined) return k;
  return undefined;
}

/** `flags` is a space-separated word list (`execve rootcwd clone`): whether it holds `word`. */
function hasFlag(flags: string | undefined, word: string): boolean {
  if (typeof flags !== 'string') return false;
  for (let at = flags.indexOf(word); at >= 0; at = flags.indexOf(word, at + 1)) {
    const end = at + word.length;
    if ((at === 0 || isRegexSpace(flags.charCodeAt(at - 1))) && (end === flags.length || isRegexSpace(flags.charCodeAt(end)))) return true;
  }
  return false;
}
