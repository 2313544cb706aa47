import type {
  AlertEvent,
  ContainerEvent,
  ExecEvent,
  ExitEvent,
  ForkEvent,
  HostInfoEvent,
  ImageAttrs,
  LineageEvent,
  SnapshotEvent,
  UserEvent,
} from '../events/lineage-event.js';
import { containerIdFromCgroups, normalizeContainerId } from './container-id.js';
import { imageRowFromAttrs, inheritImage, type ImageFields } from './image.js';
import type { ExecKind, ExecRow, ProcessOrigin, ProcessRow } from './rows.js';

/** Where the linker sends the rows it makes. The writer implements it; tests collect into arrays. */
export interface RowSink {
  process(row: ProcessRow): void;
  exec(row: ExecRow): void;
  container(ev: ContainerEvent): void;
  user(ev: UserEvent): void;
  hostInfo(ev: HostInfoEvent): void;
  alert(ev: AlertEvent, execId: number | null): void;
}

export interface LinkerOptions {
  /** First surrogate keys to hand out (one past the largest already in the case). */
  firstProcessId: number;
  firstExecId: number;
}

/** A process as the linker tracks it while it is alive (and afterwards, through its children). */
interface LiveProcess {
  processId: number;
  host: string;
  pid: number;
  vpid: number | null;
  ppid: number | null;
  parent: LiveProcess | null;
  startNs: bigint | null;
  containerId: string | null;
  origin: ProcessOrigin;
  threadCount: number;
  guid: string | undefined;
  /** The image it is running now. */
  current: ExecRow;
  firstExecId: number;
  exited: boolean;
  /**
   * The inherited image of a fresh fork is written only once something refers to it (a child,
   * a failed exec, an alert, the exit): a child that execs straight away would otherwise add
   * a row that merely copies its parent's image.
   */
  pendingFork: boolean;
}

/** The live thread table of one host, as of the event being read. */
interface HostState {
  name: string;
  byPid: Map<number, LiveProcess>;
  threadToPid: Map<number, number>;
  byGuid: Map<string, LiveProcess>;
  pendingSnapshots: SnapshotEvent[];
}

/**
 * Turns lineage events into process and exec rows (DESIGN.md §3). It keeps, per host, the
 * thread table a kernel-side tool keeps: stable keys across PID reuse, threads folded into their
 * process, the parent of every image as of the moment it began, container membership inherited
 * unless a process's own cgroups say otherwise, and marked placeholders for parents that were
 * never seen. Pure TypeScript: no SQL, no I/O.
 */
export class Linker {
  private readonly hosts = new Map<string, HostState>();
  private nextProcessId: number;
  private nextExecId: number;
  processCount = 0;
  execCount = 0;

  constructor(
    private readonly sink: RowSink,
    options: LinkerOptions,
  ) {
    this.nextProcessId = options.firstProcessId;
    this.nextExecId = options.firstExecId;
  }

  push(ev: LineageEvent): void {
    const host = this.hostState(ev.host);
    if (ev.kind !== 'snapshot' && host.pendingSnapshots.length > 0) this.flushSnapshots(host);
    switch (ev.kind) {
      case 'snapshot':
        host.pendingSnapshots.push(ev);
        return;
      case 'fork':
        this.onFork(host, ev);
        return;
      case 'exec':
        this.onExec(host, ev);
        return;
      case 'exit':
        this.onExit(host, ev);
        return;
      case 'container':
        this.sink.container(ev);
        return;
      case 'user':
        this.sink.user(ev);
        return;
      case 'hostinfo':
        this.sink.hostInfo(ev);
        return;
      case 'alert':
        this.onAlert(host, ev);
        return;
    }
  }

  /** Ends the capture: every process still alive is written with no end time. */
  finish(): void {
    for (const host of this.hosts.values()) {
      if (host.pendingSnapshots.length > 0) this.flushSnapshots(host);
      for (const proc of host.byPid.values()) this.emitProcess(proc, null, {});
      host.byPid.clear();
      host.threadToPid.clear();
      host.byGuid.clear();
    }
  }

  private hostState(name: string): HostState {
    let state = this.hosts.get(name);
    if (!state) {
      state = { name, byPid: new Map(), threadToPid: new Map(), byGuid: new Map(), pendingSnapshots: [] };
      this.hosts.set(name, state);
    }
    return state;
  }

  /** The live process a pid or thread id belongs to. */
  private lookup(host: HostState, id: number | undefined): LiveProcess | undefined {
    if (id === undefined) return undefined;
    const proc = host.byPid.get(id);
    if (proc) return proc;
    const pid = host.threadToPid.get(id);
    return pid === undefined ? undefined : host.byPid.get(pid);
  }

  private onFork(host: HostState, ev: ForkEvent): void {
    const tid = ev.tid ?? ev.pid;
    if (ev.thread || tid !== ev.pid) {
      const proc = this.lookup(host, ev.pid) ?? this.inferProcess(host, ev.pid, ev.ts, null, ev);
      if (!host.threadToPid.has(tid)) proc.threadCount += 1;
      host.threadToPid.set(tid, proc.pid);
      return;
    }
    const existing = host.byPid.get(ev.pid);
    if (existing) this.endProcess(host, existing, null, {});

    const caller =
      (ev.parentGuid ? host.byGuid.get(ev.parentGuid) : undefined) ??
      this.lookup(host, ev.ppid) ??
      (ev.ppid > 0
        ? this.inferProcess(host, ev.ppid, ev.ts, this.lookup(host, ev.callerParent?.pid) ?? null, undefined, ev.parentGuid)
        : undefined);
    const parent = ev.cloneParent ? (caller?.parent ?? caller) : caller;
    const proc = this.newProcess(host, {
      pid: ev.pid,
      vpid: ev.vpid ?? null,
      ppid: parent?.pid ?? ev.ppid,
      parent: parent ?? null,
      startNs: nonZero(ev.ts),
      origin: 'fork',
      guid: ev.guid,
    });
    const inherited = parent ? inheritImage(parent.current) : null;
    const image = imageRowFromAttrs(ev, inherited);
    proc.containerId = ownContainer(ev) ?? parent?.containerId ?? null;
    proc.current = this.makeExec(proc, 'fork', image, {
      ts: nonZero(ev.ts),
      tid,
      ppid: proc.ppid,
      parentExecId: parent ? this.imageId(parent) : null,
      prevExecId: null,
      evtNum: ev.evtNum,
      evtType: ev.syscall ?? 'clone',
      pos: ev.pos,
    }, 0);
    proc.pendingFork = true;
  }

  /** The exec id of a process's current image, writing a pending fork image first. */
  private imageId(proc: LiveProcess): number {
    if (proc.pendingFork) {
      proc.pendingFork = false;
      proc.current.execId = this.nextExecId++;
      this.execCount += 1;
      if (proc.firstExecId === 0) proc.firstExecId = proc.current.execId;
      this.sink.exec(proc.current);
    }
    return proc.current.execId;
  }

  private onExec(host: HostState, ev: ExecEvent): void {
    let proc = this.processForExec(host, ev);
    if (!proc) {
      const parent = this.parentForExec(host, ev);
      proc = this.inferProcess(host, ev.pid, ev.startTs ?? ev.ts, parent, undefined, ev.guid);
      if (ev.vpid !== undefined) proc.vpid = ev.vpid;
    }
    if (ev.tid !== undefined && ev.tid !== proc.pid) host.threadToPid.delete(ev.tid);
    if (proc.vpid === null && ev.vpid !== undefined) proc.vpid = ev.vpid;
    const parent = proc.parent;
    const base = {
      ts: nonZero(ev.ts),
      tid: ev.tid ?? ev.pid,
      ppid: ev.ppid ?? proc.ppid,
      parentExecId: parent ? this.imageId(parent) : null,
      prevExecId: proc.pendingFork ? null : proc.current.execId,
      evtNum: ev.evtNum,
      evtType: ev.syscall ?? 'execve',
      pos: ev.pos,
    };
    if (!ev.ok) {
      // Falco evaluates failed execs with the process's old image (sysdig prints it so).
      const failed = this.makeExec(proc, 'exec', inheritImage(proc.current), { ...base, prevExecId: this.imageId(proc) });
      failed.res = -(ev.errno ?? 1);
      failed.attemptExe = ev.exepath ?? ev.exe ?? null;
      this.sink.exec(failed);
      return;
    }
    const own = ownContainer(ev);
    if (own !== undefined) proc.containerId = own;
    const image = imageRowFromAttrs(ev, inheritImage(proc.current), { newProgram: true });
    const row = this.makeExec(proc, 'exec', image, base);
    row.res = 0;
    proc.pendingFork = false;
    if (proc.firstExecId === 0) proc.firstExecId = row.execId;
    proc.current = row;
    this.sink.exec(row);
  }

  /** The process an exec belongs to: by native id, then by pid, unless the pid was reused. */
  private processForExec(host: HostState, ev: ExecEvent): LiveProcess | undefined {
    if (ev.guid) {
      const byGuid = host.byGuid.get(ev.guid);
      if (byGuid && !byGuid.exited) return byGuid;
    }
    const proc = this.lookup(host, ev.pid) ?? this.lookup(host, ev.tid);
    if (!proc) return undefined;
    const reused =
      (ev.guid !== undefined && proc.guid !== undefined && proc.guid !== ev.guid) ||
      (ev.startTs !== undefined && proc.startNs !== null && proc.origin !== 'fork' && ev.startTs > proc.startNs + 1_000_000_000n);
    if (reused) {
      this.endProcess(host, proc, null, {});
      return undefined;
    }
    return proc;
  }

  private parentForExec(host: HostState, ev: ExecEvent): LiveProcess | null {
    const guid = ev.parentGuid ?? ev.parent?.guid;
    if (guid) {
      const byGuid = host.byGuid.get(guid);
      if (byGuid) return byGuid;
    }
    const ppid = ev.ppid ?? ev.parent?.pid;
    if (ppid === undefined || ppid <= 0) return null;
    const live = this.lookup(host, ppid);
    if (live && !(guid && live.guid && live.guid !== guid)) return live;
    return this.inferProcess(host, ppid, ev.parent?.startTs ?? ev.ts, null, ev.parent, guid);
  }

  private onExit(host: HostState, ev: ExitEvent): void {
    const tid = ev.tid ?? ev.pid;
    const proc = (ev.guid ? host.byGuid.get(ev.guid) : undefined) ?? this.lookup(host, ev.pid);
    if (!proc) return;
    if (tid !== proc.pid && !ev.group) {
      host.threadToPid.delete(tid);
      return;
    }
    this.endProcess(host, proc, nonZero(ev.ts), ev);
  }

  private onAlert(host: HostState, ev: AlertEvent): void {
    const proc = this.lookup(host, ev.pid);
    this.sink.alert(ev, proc ? this.imageId(proc) : null);
  }

  /**
   * The initial process table arrives as a batch; parents may be listed after their children,
   * so ids are handed out first and edges drawn once the whole batch is known.
   */
  private flushSnapshots(host: HostState): void {
    const batch = host.pendingSnapshots;
    host.pendingSnapshots = [];
    const leaders: { ev: SnapshotEvent; proc: LiveProcess }[] = [];
    for (const ev of batch) {
      const tid = ev.tid ?? ev.pid;
      if (tid !== ev.pid) continue;
      const existing = host.byPid.get(ev.pid);
      if (existing) this.endProcess(host, existing, null, {});
      const proc = this.newProcess(host, {
        pid: ev.pid,
        vpid: ev.vpid ?? null,
        ppid: ev.ppid ?? null,
        parent: null,
        startNs: nonZero(ev.startTs ?? ev.ts),
        origin: 'snapshot',
        guid: ev.guid,
      });
      proc.current = { execId: this.nextExecId++ } as ExecRow;
      proc.firstExecId = proc.current.execId;
      this.execCount += 1;
      leaders.push({ ev, proc });
    }
    for (const ev of batch) {
      const tid = ev.tid ?? ev.pid;
      if (tid === ev.pid) continue;
      const proc = host.byPid.get(ev.pid) ?? this.inferProcess(host, ev.pid, ev.ts, null, ev);
      if (!host.threadToPid.has(tid)) proc.threadCount += 1;
      host.threadToPid.set(tid, proc.pid);
    }
    for (const { ev, proc } of leaders) {
      const parentGuid = ev.parentGuid ? host.byGuid.get(ev.parentGuid) : undefined;
      const parent = parentGuid ?? this.lookup(host, ev.ppid);
      proc.parent = parent && parent !== proc ? parent : null;
      if (proc.parent) proc.ppid = proc.parent.pid;
    }
    const snapshotEvents = new Map(leaders.map((l) => [l.proc, l.ev]));
    for (const { ev, proc } of leaders) {
      proc.containerId = snapshotContainer(proc, snapshotEvents);
      const execId = proc.current.execId;
      const image = imageRowFromAttrs(ev, null, { newProgram: true });
      proc.current = this.makeExec(proc, 'snapshot', image, {
        ts: nonZero(ev.ts),
        tid: proc.pid,
        ppid: ev.ppid ?? null,
        parentExecId: proc.parent ? this.imageId(proc.parent) : null,
        prevExecId: null,
        evtNum: ev.evtNum,
        evtType: 'snapshot',
        pos: ev.pos,
      }, execId);
      this.sink.exec(proc.current);
    }
  }

  /** A process only its own later events or its children showed: a marked placeholder. */
  private inferProcess(
    host: HostState,
    pid: number,
    ts: bigint,
    parent: LiveProcess | null,
    attrs?: ImageAttrs,
    guid?: string,
  ): LiveProcess {
    const proc = this.newProcess(host, {
      pid,
      vpid: null,
      ppid: parent?.pid ?? null,
      parent,
      startNs: nonZero(ts),
      origin: 'inferred',
      guid,
    });
    proc.containerId = (attrs ? ownContainer(attrs) : undefined) ?? parent?.containerId ?? null;
    const image = imageRowFromAttrs(attrs ?? {}, parent ? inheritImage(parent.current) : null, {
      newProgram: attrs !== undefined,
    });
    proc.current = this.makeExec(proc, 'inferred', image, {
      ts: nonZero(ts),
      tid: pid,
      ppid: proc.ppid,
      parentExecId: parent ? this.imageId(parent) : null,
      prevExecId: null,
      evtNum: undefined,
      evtType: null,
      pos: undefined,
    });
    proc.firstExecId = proc.current.execId;
    this.sink.exec(proc.current);
    return proc;
  }

  private newProcess(
    host: HostState,
    init: Pick<LiveProcess, 'pid' | 'vpid' | 'ppid' | 'parent' | 'startNs' | 'origin' | 'guid'>,
  ): LiveProcess {
    const proc: LiveProcess = {
      pid: init.pid,
      vpid: init.vpid,
      ppid: init.ppid,
      parent: init.parent,
      startNs: init.startNs,
      origin: init.origin,
      guid: init.guid,
      processId: this.nextProcessId++,
      host: host.name,
      containerId: init.parent?.containerId ?? null,
      threadCount: 1,
      current: PLACEHOLDER_EXEC,
      firstExecId: 0,
      exited: false,
      pendingFork: false,
    };
    this.processCount += 1;
    host.byPid.set(proc.pid, proc);
    if (proc.guid) host.byGuid.set(proc.guid, proc);
    return proc;
  }

  private makeExec(
    proc: LiveProcess,
    kind: ExecKind,
    image: ImageFields,
    at: {
      ts: bigint | null;
      tid: number | null;
      ppid: number | null;
      parentExecId: number | null;
      prevExecId: number | null;
      evtNum: number | undefined;
      evtType: string | null;
      pos: { line?: number; offset?: number } | undefined;
    },
    execId?: number,
  ): ExecRow {
    if (execId === undefined) {
      execId = this.nextExecId++;
      this.execCount += 1;
    }
    return {
      execId,
      processId: proc.processId,
      host: proc.host,
      kind,
      parentExecId: at.parentExecId,
      prevExecId: at.prevExecId,
      ts: at.ts,
      pid: proc.pid,
      tid: at.tid,
      vpid: proc.vpid,
      ppid: at.ppid,
      name: image.name,
      exe: image.exe,
      exepath: image.exepath,
      args: image.args,
      argv: image.argv,
      cmdline: image.cmdline,
      cwd: image.cwd,
      uid: image.uid,
      gid: image.gid,
      euid: image.euid,
      loginuid: image.loginuid,
      user: image.user,
      tty: image.tty,
      sid: image.sid,
      pgid: image.pgid,
      vpgid: image.vpgid,
      env: image.env,
      cgroups: image.cgroups,
      containerId: proc.containerId,
      exeWritable: image.exeWritable,
      exeUpperLayer: image.exeUpperLayer,
      exeLowerLayer: image.exeLowerLayer,
      exeFromMemfd: image.exeFromMemfd,
      capPermitted: image.capPermitted,
      capEffective: image.capEffective,
      capInheritable: image.capInheritable,
      res: null,
      attemptExe: null,
      evtNum: at.evtNum ?? null,
      evtType: at.evtType,
      line: at.pos?.line ?? null,
      offset: at.pos?.offset ?? null,
    };
  }

  private endProcess(
    host: HostState,
    proc: LiveProcess,
    endNs: bigint | null,
    exit: Pick<ExitEvent, 'code' | 'signal' | 'core'>,
  ): void {
    if (host.byPid.get(proc.pid) === proc) host.byPid.delete(proc.pid);
    if (proc.guid && host.byGuid.get(proc.guid) === proc) host.byGuid.delete(proc.guid);
    this.emitProcess(proc, endNs, exit);
  }

  private emitProcess(
    proc: LiveProcess,
    endNs: bigint | null,
    exit: Pick<ExitEvent, 'code' | 'signal' | 'core'>,
  ): void {
    if (proc.exited) return;
    this.imageId(proc);
    proc.exited = true;
    this.sink.process({
      processId: proc.processId,
      host: proc.host,
      pid: proc.pid,
      vpid: proc.vpid,
      ppid: proc.ppid,
      parentProcessId: proc.parent?.processId ?? null,
      startNs: proc.startNs,
      endNs,
      exitCode: exit.code ?? null,
      exitSignal: exit.signal ?? null,
      exitCore: exit.core ?? null,
      containerId: proc.containerId,
      origin: proc.origin,
      threadCount: proc.threadCount,
      firstExecId: proc.firstExecId || null,
      lastExecId: proc.current.execId || null,
    });
  }
}

const PLACEHOLDER_EXEC = { execId: 0 } as ExecRow;

function nonZero(ts: bigint | undefined): bigint | null {
  return ts === undefined || ts === 0n ? null : ts;
}

/** The container a process's own attributes name: undefined when they say nothing. */
function ownContainer(attrs: ImageAttrs): string | null | undefined {
  if (attrs.containerId !== undefined) return normalizeContainerId(attrs.containerId);
  return containerIdFromCgroups(attrs.cgroups);
}

/** Snapshot rows: own cgroups first, else the nearest ancestor's (the batch is unordered). */
function snapshotContainer(proc: LiveProcess, events: Map<LiveProcess, SnapshotEvent>): string | null {
  const seen = new Set<LiveProcess>();
  for (let p: LiveProcess | null = proc; p && !seen.has(p); p = p.parent) {
    seen.add(p);
    const ev = events.get(p);
    const own = ev ? ownContainer(ev) : undefined;
    if (own !== undefined) return own;
    if (!ev) return p.containerId;
  }
  return null;
}
