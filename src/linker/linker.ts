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
import { imageRowFromAttrs, type ImageFields } from './image.js';
import type { ExecKind, ExecRow, ProcessOrigin, ProcessRow } from './rows.js';
import type { CaseSink, CaseState, KnownProcess } from './case-state.js';
import { ParkedFilter } from './parked-filter.js';
import type { ParkedProcess, ParkingStore } from './parked.js';
import { SnapshotWaits } from './snapshot-waits.js';
import { BoundedGenerations } from '../util/bounded-generations.js';

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
  /**
   * What earlier captures of the case hold. With it, an event about a process the case already
   * knows extends that process instead of starting a new one or a placeholder beside it.
   */
  known?: { state: CaseState; sink: CaseSink };
  /**
   * Past `cap` running processes in memory (all hosts), the least recently used are parked in the
   * store `open` makes (at the first parking), and brought back when an event names them again.
   * Without it the table grows with every process that never exits.
   */
  parking?: { cap: number; open: () => ParkingStore };
  /**
   * A process list longer than `chunk` rows is linked `chunk` rows at a time, instead of held
   * whole (a 1M-row `ps` list took 1.3 GB): a row whose parent is not listed yet waits for it,
   * at most `waiting` rows at once. Defaults: with parking, chunks of the cap (at most 4,096)
   * and 16,384 waiting rows; without, whole lists.
   */
  snapshots?: { chunk: number; waiting: number };
  /** Says what the linker changed to stay bounded (at the line it began, then a summary). */
  warn?: (message: string, line: number | undefined) => void;
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
  /** Its process row is already in the case (an earlier capture wrote it). */
  resumed: boolean;
  /** For a resumed process: its end as the case records it, and its parent's image then. */
  knownEnd: bigint | null;
  knownParentExecId: number | null;
  knownParentProcessId: number | null;
  /** When a lookup last found it (the linker's clock): the least recently used are parked first. */
  touched: number;
  /**
   * A parked process, or a child in memory when it was parked, names it as parent: it is found by
   * process id while in memory, and an unchanging copy is kept in the store when it ends.
   */
  named: boolean;
  /**
   * This object stands for a parked process (one parked, or a reference made when a child came
   * back): whoever holds it as parent looks the process up by id when it needs it (parentOf).
   */
  parkedOut: boolean;
  /** Ended, and its state kept in the store for parked children that name it. */
  endedKept: boolean;
  /**
   * Its place in the host's table (a Map keeps insertion order; a process that replaces another
   * of its pid without ending it takes that one's place). At the end, pending fork images get
   * their exec ids in this order, parked processes included.
   */
  seq: number;
}

/** The live thread table of one host, as of the event being read. */
interface HostState {
  name: string;
  /** Its number in the parked-key filter. */
  index: number;
  byPid: Map<number, LiveProcess>;
  threadToPid: Map<number, number>;
  byGuid: Map<string, LiveProcess>;
  pendingSnapshots: SnapshotEvent[];
  /** A process list being linked chunk by chunk, until its end. */
  snapshotBatch: SnapshotBatch | null;
}

/** What a process list linked chunk by chunk keeps until its end. */
interface SnapshotBatch {
  /** Processes it made have this process id or a larger one; the resumed ones are listed. */
  firstProcessId: number;
  resumed: Set<number>;
  waits: SnapshotWaits<SnapshotEvent, LiveProcess>;
  /** Thread rows whose process is not listed yet. */
  threads: SnapshotEvent[];
  /** Parents (pid or native id) of rows linked before the list ended, to keep memory bounded (the latest of them). */
  linkedEarly: BoundedGenerations<true, number | string>;
  rowsLinkedEarly: number;
  /** Of those parents, how many the list named later (their children are not linked to them). */
  listedLate: number;
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
  private lastHost: HostState | undefined;
  private nextProcessId: number;
  private nextExecId: number;
  private readonly known: LinkerOptions['known'];
  processCount = 0;
  execCount = 0;
  /** Execs that earlier captures already held (recorded as seen again, not written twice). */
  execsSeenAgain = 0;
  /** Processes of earlier captures this capture extended. */
  processesResumed = 0;
  /** Times a running process was parked out of memory. */
  processesParked = 0;
  /** Running processes parked now. */
  private parkedNow = 0;
  private readonly parking: LinkerOptions['parking'];
  private store: ParkingStore | undefined;
  private filter: ParkedFilter | undefined;
  /** Processes in memory that parked ones (or stand-ins) name as parent, by process id. */
  private readonly named = new Map<number, LiveProcess>();
  /** Events between looks at the table's size (none without parking). */
  private readonly lookEvery: number;
  private sinceLook = 0;
  /** The next parking pass runs when more processes than this are in memory. */
  private parkAbove: number;
  private clock = 0;
  private seqs = 0;
  private finishing = false;
  private readonly snapshotChunk: number;
  private readonly snapshotWaiting: number;
  private readonly warn: (message: string, line: number | undefined) => void;

  constructor(
    private readonly sink: RowSink,
    options: LinkerOptions,
  ) {
    this.nextProcessId = options.firstProcessId;
    this.nextExecId = options.firstExecId;
    this.known = options.known;
    this.parking = options.parking;
    const cap = options.parking ? Math.max(1, Math.floor(options.parking.cap)) : Number.POSITIVE_INFINITY;
    this.parkAbove = cap;
    this.lookEvery = Math.min(1024, cap);
    this.snapshotChunk = options.snapshots?.chunk ?? (options.parking ? Math.min(4096, cap) : Number.POSITIVE_INFINITY);
    this.snapshotWaiting = options.snapshots?.waiting ?? (options.parking ? 16_384 : Number.POSITIVE_INFINITY);
    this.warn = options.warn ?? (() => {});
  }

  /** Processes the table holds in memory as running, on every host. */
  liveProcessCount(): number {
    let n = 0;
    for (const host of this.hosts.values()) n += host.byPid.size;
    return n;
  }

  /** Running processes parked out of memory now. */
  parkedProcessCount(): number {
    return this.parkedNow;
  }

  push(ev: LineageEvent): void {
    if (++this.sinceLook >= this.lookEvery) {
      this.sinceLook = 0;
      this.parkIfFull();
    }
    const host = this.hostState(ev.host);
    // Resuming from the case needs the table's time, which a scap table lacks: then it waits for
    // the first event that acts on processes (metadata events in between need no process table).
    if (ev.kind !== 'snapshot' && (host.pendingSnapshots.length > 0 || host.snapshotBatch) && (!this.known || PROCESS_EVENTS.has(ev.kind))) {
      this.flushSnapshots(host, ev.ts);
    }
    switch (ev.kind) {
      case 'snapshot':
        host.pendingSnapshots.push(ev);
        if (host.pendingSnapshots.length === this.snapshotChunk) this.linkSnapshotChunk(host, 0n, false);
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
      if (host.pendingSnapshots.length > 0 || host.snapshotBatch) this.flushSnapshots(host);
      // Parked children are read back only to be written: no ended copy is kept for them.
      this.finishing = true;
      if (this.store) this.emitWithParked(host, this.store);
      else for (const proc of host.byPid.values()) this.emitProcess(proc, null, {});
      this.finishing = false;
      host.byPid.clear();
      host.threadToPid.clear();
      host.byGuid.clear();
    }
    this.parkedNow = 0;
    this.named.clear();
    this.close();
  }

  /**
   * The host's running processes, in memory and parked, written in their table order (their
   * pending fork images take exec ids in it, as without parking). Parked ones are read back in
   * that order, one at a time; their parents are named by id, not brought back.
   */
  private emitWithParked(host: HostState, store: ParkingStore): void {
    const inMemory = [...host.byPid.values()].sort((a, b) => a.seq - b.seq);
    let i = 0;
    for (const parked of store.drain(host.name)) {
      while (i < inMemory.length && (inMemory[i] as LiveProcess).seq < parked.seq) this.emitProcess(inMemory[i++] as LiveProcess, null, {});
      const proc = fromRecord(parked, 0);
      this.imageId(proc);
      this.sink.process(processRow(proc, null, {}, proc.firstExecId || null, proc.current.execId || null, parked.parentProcessId));
    }
    while (i < inMemory.length) this.emitProcess(inMemory[i++] as LiveProcess, null, {});
  }

  /** Lets go of the parking store (also after a failed import). */
  close(): void {
    this.store?.close();
    this.store = undefined;
  }

  private hostState(name: string): HostState {
    // Events of one host come in runs: comparing with the last name is cheaper than hashing it.
    if (name === this.lastHost?.name) return this.lastHost;
    let state = this.hosts.get(name);
    if (!state) {
      state = { name, index: this.hosts.size, byPid: new Map(), threadToPid: new Map(), byGuid: new Map(), pendingSnapshots: [], snapshotBatch: null };
      this.hosts.set(name, state);
    }
    this.lastHost = state;
    return state;
  }

  /** The live process a pid or thread id belongs to. */
  private lookup(host: HostState, id: number | undefined): LiveProcess | undefined {
    if (id === undefined) return undefined;
    const proc = this.findPid(host, id);
    if (proc) return proc;
    const pid = host.threadToPid.get(id);
    return pid === undefined ? undefined : this.findPid(host, pid);
  }

  /** The running process with this pid, in memory or parked (then brought back). */
  private findPid(host: HostState, pid: number): LiveProcess | undefined {
    const proc = host.byPid.get(pid);
    if (proc !== undefined) {
      proc.touched = ++this.clock;
      return proc;
    }
    if (this.parkedNow === 0 || !this.filter?.mayHoldPid(host.index, pid)) return undefined;
    const parked = this.store?.takeByPid(host.name, pid);
    return parked && this.unpark(host, parked);
  }

  /** The process the host's table of native ids has under `guid`, in memory or parked. */
  private findGuid(host: HostState, guid: string): LiveProcess | undefined {
    const proc = host.byGuid.get(guid);
    if (proc !== undefined) {
      proc.touched = ++this.clock;
      return proc;
    }
    if (this.parkedNow === 0 || !this.filter?.mayHoldGuid(host.index, guid)) return undefined;
    const parked = this.store?.takeByGuid(host.name, guid);
    return parked && this.unpark(host, parked);
  }

  /**
   * Puts `proc` in the host's table under its pid. One already there that did not end keeps its
   * place for the newcomer (as a Map does); a parked one comes back first to be replaced.
   */
  private file(host: HostState, proc: LiveProcess): void {
    const old = this.parkedNow > 0 ? this.findPid(host, proc.pid) : host.byPid.get(proc.pid);
    proc.seq = old === undefined ? ++this.seqs : old.seq;
    host.byPid.set(proc.pid, proc);
  }

  /** Files `proc` under `guid`; a parked process filed there first comes back to be replaced, as one in memory is. */
  private setGuid(host: HostState, guid: string, proc: LiveProcess): void {
    if (this.parkedNow > 0) this.findGuid(host, guid);
    host.byGuid.set(guid, proc);
  }

  /**
   * The live process a pid or thread id belongs to at `ts`; failing that, the process of an
   * earlier capture alive then, which this capture then extends.
   */
  private lookupAt(host: HostState, id: number | undefined, ts: bigint, startTs?: bigint): LiveProcess | undefined {
    if (id === undefined) return undefined;
    const live = this.lookup(host, id);
    if (live && !(live.resumed && live.knownEnd !== null && ts > live.knownEnd + RESUME_SLACK_NS)) return live;
    if (!this.known || id <= 0 || ts === 0n) return live;
    const known = this.known.state.processAt(host.name, id, ts, startTs === undefined ? {} : { startTs });
    if (!known || known.processId === live?.processId) return live;
    if (live) this.endProcess(host, live, null, {});
    return this.resume(host, known);
  }

  /** A process of an earlier capture, live again in this one. */
  private resume(host: HostState, known: KnownProcess): LiveProcess {
    const proc: LiveProcess = {
      processId: known.processId,
      host: host.name,
      pid: known.pid,
      vpid: known.vpid,
      ppid: known.ppid,
      parent: null,
      startNs: known.startNs,
      origin: known.origin,
      guid: undefined,
      containerId: known.containerId,
      threadCount: 1,
      current: known.image ?? PLACEHOLDER_EXEC,
      firstExecId: known.image?.execId ?? 0,
      exited: false,
      pendingFork: false,
      resumed: true,
      knownEnd: known.endNs,
      knownParentExecId: known.parentExecId,
      knownParentProcessId: known.parentProcessId,
      touched: ++this.clock,
      named: false,
      parkedOut: false,
      endedKept: false,
      seq: 0,
    };
    const parentLive = known.ppid === null ? undefined : this.findPid(host, known.ppid);
    if (parentLive && parentLive.processId === known.parentProcessId) proc.parent = parentLive;
    this.processesResumed += 1;
    this.file(host, proc);
    return proc;
  }

  /** The image a resumed process was running at `ts`, as the case and this capture know it. */
  private refreshImage(proc: LiveProcess, ts: bigint | null): number | null {
    if (!proc.resumed || !this.known || ts === null) return null;
    const at = this.known.state.imageAt(proc.processId, ts);
    if (at.image && (proc.current === PLACEHOLDER_EXEC || (proc.current.ts ?? 0n) < (at.image.ts ?? 0n))) {
      proc.current = at.image;
      proc.pendingFork = false;
    }
    return at.nextExecId;
  }

  /** The parent image of a new image of `proc`: its live parent's, or what the case recorded. */
  private parentImage(proc: LiveProcess): number | null {
    const parent = this.parentOf(proc);
    if (parent) return this.imageId(parent);
    return proc.resumed ? proc.knownParentExecId : null;
  }

  private onFork(host: HostState, ev: ForkEvent): void {
    const tid = ev.tid ?? ev.pid;
    if (ev.thread || tid !== ev.pid) {
      const proc = this.lookupAt(host, ev.pid, ev.ts) ?? this.inferProcess(host, ev.pid, ev.ts, null, ev);
      if (!host.threadToPid.has(tid)) proc.threadCount += 1;
      host.threadToPid.set(tid, proc.pid);
      return;
    }
    const existing = this.findPid(host, ev.pid);
    if (existing) this.endProcess(host, existing, null, {});

    const caller =
      (ev.parentGuid ? this.findGuid(host, ev.parentGuid) : undefined) ??
      this.lookupAt(host, ev.ppid, ev.ts) ??
      (ev.ppid > 0
        ? // The caller runs the image the child starts with: the record's comm/exe name it (audit clone records).
          this.inferProcess(host, ev.ppid, ev.ts, this.lookupAt(host, ev.callerParent?.pid, ev.ts) ?? null, callerImage(ev), ev.parentGuid)
        : undefined);
    if (caller) this.refreshImage(caller, nonZero(ev.ts));
    const parent = ev.cloneParent ? ((caller && this.parentOf(caller)) ?? caller) : caller;
    // The same fork an earlier capture of this host already recorded (an overlapping export).
    const same = this.known && ev.ts !== 0n ? this.known.state.processAt(host.name, ev.pid, ev.ts, { fork: true }) : undefined;
    if (same) {
      const proc = this.resume(host, same);
      if (ev.guid) {
        proc.guid = ev.guid;
        this.setGuid(host, ev.guid, proc);
      }
      if (parent) this.adoptRoot(proc, parent, ev.ts);
      if (proc.current === PLACEHOLDER_EXEC && parent) {
        proc.current = this.makeExec(
          proc,
          'fork',
          imageRowFromAttrs(ev, parent.current),
          {
            ts: nonZero(ev.ts),
            tid,
            ppid: proc.ppid,
            parentExecId: this.imageId(parent),
            prevExecId: null,
            evtNum: ev.evtNum,
            evtType: ev.syscall ?? 'clone',
            pos: ev.pos,
          },
          0,
        );
        proc.pendingFork = true;
      }
      return;
    }
    const proc = this.newProcess(host, {
      pid: ev.pid,
      vpid: ev.vpid ?? null,
      ppid: parent?.pid ?? ev.ppid,
      parent: parent ?? null,
      startNs: nonZero(ev.ts),
      origin: 'fork',
      guid: ev.guid,
    });
    const image = imageRowFromAttrs(ev, parent ? parent.current : null);
    proc.containerId = ownContainer(ev) ?? parent?.containerId ?? null;
    proc.current = this.makeExec(
      proc,
      'fork',
      image,
      {
        ts: nonZero(ev.ts),
        tid,
        ppid: proc.ppid,
        parentExecId: parent ? this.imageId(parent) : null,
        prevExecId: null,
        evtNum: ev.evtNum,
        evtType: ev.syscall ?? 'clone',
        pos: ev.pos,
      },
      0,
    );
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
    if (proc.current === PLACEHOLDER_EXEC && proc.resumed) {
      // A resumed process with no image known at this time: a marked placeholder image.
      proc.current = this.makeExec(proc, 'inferred', imageRowFromAttrs({}, null), {
        ts: proc.startNs,
        tid: proc.pid,
        ppid: proc.ppid,
        parentExecId: proc.knownParentExecId,
        prevExecId: null,
        evtNum: undefined,
        evtType: null,
        pos: undefined,
      });
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
    let nextExecId: number | null = null;
    if (proc.resumed && this.known) {
      if (proc.parent === null) {
        const parent = this.liveParentForExec(host, ev);
        if (parent && parent !== proc) this.adoptRoot(proc, parent, null);
      }
      const same = this.known.state.sameExec(proc.processId, ev);
      if (same && !ev.ok) {
        this.known.sink.execSeenAgain(same.execId, same, ev);
        this.execsSeenAgain += 1;
        return;
      }
      if (same) {
        // Another source's record of an exec the case holds: one row, both sources recorded.
        this.known.sink.execSeenAgain(
          same.execId,
          this.makeExec(
            proc,
            'exec',
            imageRowFromAttrs(ev, null, NEW_PROGRAM),
            {
              ts: nonZero(ev.ts),
              tid: ev.tid ?? ev.pid,
              ppid: ev.ppid ?? null,
              parentExecId: null,
              prevExecId: null,
              evtNum: ev.evtNum,
              evtType: ev.syscall ?? 'execve',
              pos: ev.pos,
            },
            0,
          ),
          ev,
        );
        this.execsSeenAgain += 1;
        if ((proc.current.ts ?? 0n) <= (same.ts ?? 0n) || proc.current === PLACEHOLDER_EXEC) {
          proc.current = same;
          proc.pendingFork = false;
        }
        return;
      }
      nextExecId = this.refreshImage(proc, nonZero(ev.ts));
      const forkImage = proc.current;
      if (ev.ok && !proc.pendingFork && forkImage.kind === 'fork' && forkImage.prevExecId === null && this.known.sink.dropForkImage(forkImage.execId)) {
        // The earlier capture ended before this exec; its fork image only stood in for it.
        proc.current = { ...forkImage, execId: 0 };
        proc.pendingFork = true;
      }
    }
    const parent = this.parentOf(proc);
    const base = {
      ts: nonZero(ev.ts),
      tid: ev.tid ?? ev.pid,
      ppid: ev.ppid ?? proc.ppid,
      parentExecId: parent ? this.imageId(parent) : this.parentImage(proc),
      prevExecId: proc.pendingFork || proc.current === PLACEHOLDER_EXEC ? null : proc.current.execId,
      evtNum: ev.evtNum,
      evtType: ev.syscall ?? 'execve',
      pos: ev.pos,
    };
    if (!ev.ok) {
      // Falco evaluates failed execs with the process's old image (sysdig prints it so).
      const prevExecId = this.imageId(proc);
      const failed = this.makeExec(proc, 'exec', proc.current, { ...base, prevExecId });
      failed.res = -(ev.errno ?? 1);
      failed.attemptExe = ev.exepath ?? ev.exe ?? null;
      this.sink.exec(failed);
      return;
    }
    const own = ownContainer(ev);
    if (own !== undefined) proc.containerId = own;
    const image = imageRowFromAttrs(ev, proc.current, NEW_PROGRAM);
    const row = this.makeExec(proc, 'exec', image, base);
    row.res = 0;
    proc.pendingFork = false;
    if (proc.firstExecId === 0) proc.firstExecId = row.execId;
    proc.current = row;
    this.sink.exec(row);
    if (nextExecId !== null) this.known?.sink.relinkPrev(nextExecId, row.execId);
  }

  /** The process an exec belongs to: by native id, then by pid, unless the pid was reused. */
  private processForExec(host: HostState, ev: ExecEvent): LiveProcess | undefined {
    if (ev.guid) {
      const byGuid = this.findGuid(host, ev.guid);
      if (byGuid && !byGuid.exited) return byGuid;
    }
    const proc = this.lookupAt(host, ev.pid, ev.ts, ev.startTs) ?? this.lookup(host, ev.tid);
    if (!proc) return undefined;
    if (proc.resumed && proc.guid === undefined && ev.guid !== undefined) {
      proc.guid = ev.guid;
      this.setGuid(host, ev.guid, proc);
    }
    const reused =
      (ev.guid !== undefined && proc.guid !== undefined && proc.guid !== ev.guid) ||
      (ev.startTs !== undefined && proc.startNs !== null && proc.origin !== 'fork' && ev.startTs > proc.startNs + 1_000_000_000n);
    if (reused) {
      this.endProcess(host, proc, null, {});
      return undefined;
    }
    return proc;
  }

  /** The parent an exec record names, when this capture or the case knows it (none is inferred). */
  private liveParentForExec(host: HostState, ev: ExecEvent): LiveProcess | undefined {
    const guid = ev.parentGuid ?? ev.parent?.guid;
    const byGuid = guid ? this.findGuid(host, guid) : undefined;
    if (byGuid) return byGuid;
    const ppid = ev.ppid ?? ev.parent?.pid;
    if (ppid === undefined || ppid <= 0) return undefined;
    const live = this.lookupAt(host, ppid, ev.ts, ev.parent?.startTs);
    return live && !(guid && live.guid && live.guid !== guid) ? live : undefined;
  }

  /**
   * A resumed process the case has as a root (or under a placeholder of that pid) whose real
   * parent this capture knows: whichever file was imported first, it becomes that parent's child.
   */
  private adoptRoot(proc: LiveProcess, parent: LiveProcess, forkTs: bigint | null): void {
    if (!this.known || parent.processId === proc.knownParentProcessId) return;
    const adopted = this.known.sink.adopt(
      proc.processId,
      { processId: parent.processId, pid: parent.pid, execId: () => this.imageId(parent) },
      forkTs === null ? null : nonZero(forkTs),
    );
    if (!adopted) return;
    proc.parent = parent;
    proc.ppid = parent.pid;
    proc.knownParentProcessId = parent.processId;
    proc.knownParentExecId = this.imageId(parent);
    if (forkTs === null) return;
    if (proc.origin === 'inferred') proc.origin = 'fork';
    // Its placeholder first image became its fork image, or went.
    const at = this.known.state.imageAt(proc.processId, forkTs);
    proc.current = at.image ?? PLACEHOLDER_EXEC;
    proc.firstExecId = at.image?.execId ?? 0;
  }

  private parentForExec(host: HostState, ev: ExecEvent): LiveProcess | null {
    const guid = ev.parentGuid ?? ev.parent?.guid;
    if (guid) {
      const byGuid = this.findGuid(host, guid);
      if (byGuid) return byGuid;
    }
    const ppid = ev.ppid ?? ev.parent?.pid;
    if (ppid === undefined || ppid <= 0) return null;
    const live = this.lookupAt(host, ppid, ev.ts, ev.parent?.startTs);
    if (live && !(guid && live.guid && live.guid !== guid)) {
      this.refreshImage(live, nonZero(ev.ts));
      return live;
    }
    return this.inferProcess(host, ppid, ev.parent?.startTs ?? ev.ts, null, ev.parent, guid);
  }

  private onExit(host: HostState, ev: ExitEvent): void {
    const tid = ev.tid ?? ev.pid;
    const proc = (ev.guid ? this.findGuid(host, ev.guid) : undefined) ?? this.lookupAt(host, ev.pid, ev.ts);
    if (!proc) return;
    if (tid !== proc.pid && !ev.group) {
      host.threadToPid.delete(tid);
      return;
    }
    this.endProcess(host, proc, nonZero(ev.ts), ev);
  }

  private onAlert(host: HostState, ev: AlertEvent): void {
    const proc = this.lookupAt(host, ev.pid, ev.ts);
    if (proc) this.refreshImage(proc, nonZero(ev.ts));
    this.sink.alert(ev, proc ? this.imageId(proc) : null);
  }

  /**
   * The initial process table arrives as a batch; parents may be listed after their children,
   * so ids are handed out first and edges drawn once the whole batch is known. A batch longer
   * than a chunk was linked chunk by chunk: its last rows, then what still waits.
   */
  private flushSnapshots(host: HostState, nextTs = 0n): void {
    if (host.snapshotBatch === null) {
      this.linkWholeBatch(host, nextTs);
      return;
    }
    if (host.pendingSnapshots.length > 0) this.linkSnapshotChunk(host, nextTs, true);
    this.endSnapshotBatch(host, host.snapshotBatch);
    host.snapshotBatch = null;
  }

  private linkWholeBatch(host: HostState, nextTs: bigint): void {
    const batch = host.pendingSnapshots;
    host.pendingSnapshots = [];
    const leaders = this.snapshotIds(host, batch, nextTs, null);
    for (const ev of batch) {
      const tid = ev.tid ?? ev.pid;
      if (tid === ev.pid) continue;
      const proc = this.findPid(host, ev.pid) ?? this.inferProcess(host, ev.pid, ev.ts, null, ev);
      if (!host.threadToPid.has(tid)) proc.threadCount += 1;
      host.threadToPid.set(tid, proc.pid);
    }
    for (const { ev, proc } of leaders) {
      const parent = this.snapshotParent(host, ev);
      proc.parent = parent && parent !== proc ? parent : null;
      if (proc.parent) proc.ppid = proc.parent.pid;
    }
    const snapshotEvents = new Map(leaders.map((l) => [l.proc, l.ev]));
    for (const { ev, proc } of leaders) this.writeSnapshotImage(proc, ev, snapshotContainer(proc, snapshotEvents));
  }

  /** The parent a snapshot row names, as the host's table has it now. */
  private snapshotParent(host: HostState, ev: SnapshotEvent): LiveProcess | undefined {
    const parentGuid = ev.parentGuid ? this.findGuid(host, ev.parentGuid) : undefined;
    return parentGuid ?? this.lookup(host, ev.ppid);
  }

  /** The row's process image, its parent and container settled. */
  private writeSnapshotImage(proc: LiveProcess, ev: SnapshotEvent, containerId: string | null): void {
    proc.containerId = containerId;
    const execId = proc.current.execId;
    const image = imageRowFromAttrs(ev, null, NEW_PROGRAM);
    proc.current = this.makeExec(
      proc,
      'snapshot',
      image,
      {
        ts: nonZero(ev.ts),
        tid: proc.pid,
        ppid: ev.ppid ?? null,
        parentExecId: proc.parent ? this.imageId(proc.parent) : null,
        prevExecId: null,
        evtNum: ev.evtNum,
        evtType: 'snapshot',
        pos: ev.pos,
      },
      execId,
    );
    this.sink.exec(proc.current);
  }

  /**
   * Hands out the ids of the rows' processes (thread rows are left to the caller);
   * returns the rows whose image is still to be written, with their processes.
   */
  private snapshotIds(host: HostState, batch: SnapshotEvent[], nextTs: bigint, open: SnapshotBatch | null): { ev: SnapshotEvent; proc: LiveProcess }[] {
    const leaders: { ev: SnapshotEvent; proc: LiveProcess }[] = [];
    for (const ev of batch) {
      const tid = ev.tid ?? ev.pid;
      if (tid !== ev.pid) continue;
      const existing = this.findPid(host, ev.pid);
      if (existing) this.endProcess(host, existing, null, {});
      // A process an earlier capture of this host already holds continues; its known image stays.
      // A table without times (scap's) is as of the event that follows it.
      const asOf = ev.ts === 0n ? nextTs : ev.ts;
      const known = this.known?.state.processAt(host.name, ev.pid, asOf, ev.startTs === undefined ? {} : { startTs: ev.startTs });
      if (open !== null && open.linkedEarly.size > 0) this.noteListedLate(open, ev);
      if (known) {
        const resumed = this.resume(host, known);
        open?.resumed.add(resumed.processId);
        if (known.image) continue;
        resumed.current = { execId: this.nextExecId++ } as ExecRow;
        resumed.firstExecId = resumed.current.execId;
        this.execCount += 1;
        leaders.push({ ev, proc: resumed });
        continue;
      }
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
    return leaders;
  }

  /**
   * Links the pending rows of a long process list now. A row whose parent the list has named
   * (and linked) is written at once; one whose parent is not listed yet, or not linked yet,
   * waits for it; at the end of the list the rows still waiting take what the table has then,
   * as a whole batch does. So the rows are the same as with the list held whole, unless a pid
   * is listed twice (then the rows between take the first) or more than `snapshotWaiting` rows
   * wait at once: the oldest are then linked to what the table has (said, with a summary).
   */
  private linkSnapshotChunk(host: HostState, nextTs: bigint, last: boolean): void {
    // Resuming from the case needs a time, which a table without times takes from the event
    // after it: such a list is held whole (from here on: the next chunk never fills exactly).
    if (!last && this.known && host.pendingSnapshots.some((ev) => ev.ts === 0n)) return;
    host.snapshotBatch ??= {
      firstProcessId: this.nextProcessId,
      resumed: new Set(),
      waits: new SnapshotWaits(),
      threads: [],
      linkedEarly: new BoundedGenerations<true, number | string>(4 * this.snapshotWaiting, () => {}),
      rowsLinkedEarly: 0,
      listedLate: 0,
    };
    const open = host.snapshotBatch;
    const rows = host.pendingSnapshots;
    host.pendingSnapshots = [];
    const leaders = this.snapshotIds(host, rows, nextTs, open);
    for (const ev of rows) {
      const tid = ev.tid ?? ev.pid;
      if (tid === ev.pid) continue;
      const proc = this.findPid(host, ev.pid);
      if (proc === undefined || !this.inSnapshotBatch(open, proc)) {
        open.threads.push(ev);
        continue;
      }
      if (!host.threadToPid.has(tid)) proc.threadCount += 1;
      host.threadToPid.set(tid, proc.pid);
    }
    for (const { ev, proc } of leaders) this.placeSnapshotRow(host, open, ev, proc);
    if (open.waits.count > this.snapshotWaiting) this.linkOldestWaiting(host, open, rows.at(-1)?.pos?.line);
  }

  /** Writes the row now if its parent is settled, else files it to wait for that parent. */
  private placeSnapshotRow(host: HostState, open: SnapshotBatch, ev: SnapshotEvent, proc: LiveProcess): void {
    const stack: { ev: SnapshotEvent; proc: LiveProcess }[] = [{ ev, proc }];
    while (stack.length > 0) {
      const next = stack.pop() as { ev: SnapshotEvent; proc: LiveProcess };
      const key = next.ev.parentGuid ?? next.ev.ppid;
      const byGuid = next.ev.parentGuid ? this.findGuid(host, next.ev.parentGuid) : undefined;
      const found = byGuid ?? this.lookup(host, next.ev.ppid);
      const parent = found === next.proc ? undefined : found;
      // A native id the list has not named yet may still come (and would be taken over the pid).
      const listed = parent !== undefined && this.inSnapshotBatch(open, parent) && (byGuid === undefined || byGuid === parent);
      const guidPending = next.ev.parentGuid !== undefined && (byGuid === undefined || !this.inSnapshotBatch(open, byGuid));
      // A parent pid of 0 or less is the kernel's: no process list names it.
      const mayBeListed = key !== undefined && (typeof key === 'string' || key > 0);
      if ((listed && !guidPending && isWaitingImage(parent)) || ((!listed || guidPending) && mayBeListed && found !== next.proc)) {
        open.waits.add(key as number | string, next.ev, next.proc);
        continue;
      }
      this.settleSnapshotRow(next.ev, next.proc, parent ?? null);
      this.releaseWaiting(open, next.proc, stack);
    }
  }

  /** The row's parent is `parent` (or none): its container follows, and its image is written. */
  private settleSnapshotRow(ev: SnapshotEvent, proc: LiveProcess, parent: LiveProcess | null): void {
    proc.parent = parent;
    if (parent) proc.ppid = parent.pid;
    const own = ownContainer(ev);
    this.writeSnapshotImage(proc, ev, own !== undefined ? own : (parent?.containerId ?? null));
  }

  /** Rows that waited for `proc` go on the stack to be placed again. */
  private releaseWaiting(open: SnapshotBatch, proc: LiveProcess, stack: { ev: SnapshotEvent; proc: LiveProcess }[]): void {
    if (open.waits.count === 0) return;
    for (const w of open.waits.take(proc.pid)) stack.push({ ev: w.row, proc: w.proc });
    if (proc.guid !== undefined) for (const w of open.waits.take(proc.guid)) stack.push({ ev: w.row, proc: w.proc });
  }

  private inSnapshotBatch(open: SnapshotBatch, proc: LiveProcess): boolean {
    return proc.processId >= open.firstProcessId || open.resumed.has(proc.processId);
  }

  /** Too many rows wait: the oldest whose parent is not listed are linked to what the table has now. */
  private linkOldestWaiting(host: HostState, open: SnapshotBatch, line: number | undefined): void {
    if (open.rowsLinkedEarly === 0) {
      this.warn(
        `more than ${this.snapshotWaiting} process-list rows wait for a parent the list has not named yet: from here on the oldest are linked without waiting (to the process of that pid the case has, or none); a parent listed later than that is not linked to them`,
        line,
      );
    }
    const target = Math.floor(this.snapshotWaiting / 2);
    const waitsForListed = (ev: SnapshotEvent, proc: LiveProcess): boolean => {
      const parent = this.snapshotParent(host, ev);
      return parent !== undefined && parent !== proc && this.inSnapshotBatch(open, parent) && isWaitingImage(parent);
    };
    while (open.waits.count > target) {
      const oldest = open.waits.takeOldest(waitsForListed);
      if (oldest === undefined) break;
      open.linkedEarly.set(oldest.row.parentGuid ?? (oldest.row.ppid as number), true);
      open.rowsLinkedEarly += 1;
      const stack: { ev: SnapshotEvent; proc: LiveProcess }[] = [];
      this.settleSnapshotRow(oldest.row, oldest.proc, this.snapshotParent(host, oldest.row) ?? null);
      this.releaseWaiting(open, oldest.proc, stack);
      while (stack.length > 0) {
        const next = stack.pop() as { ev: SnapshotEvent; proc: LiveProcess };
        this.placeSnapshotRow(host, open, next.ev, next.proc);
      }
    }
  }

  private noteListedLate(open: SnapshotBatch, ev: SnapshotEvent): void {
    if (open.linkedEarly.take(ev.pid) !== undefined || (ev.guid !== undefined && open.linkedEarly.take(ev.guid) !== undefined)) open.listedLate += 1;
  }

  /** The end of a list linked chunk by chunk: threads, then the rows still waiting, as a whole batch links them. */
  private endSnapshotBatch(host: HostState, open: SnapshotBatch): void {
    for (const ev of open.threads) {
      const tid = ev.tid ?? ev.pid;
      const proc = this.findPid(host, ev.pid) ?? this.inferProcess(host, ev.pid, ev.ts, null, ev);
      if (!host.threadToPid.has(tid)) proc.threadCount += 1;
      host.threadToPid.set(tid, proc.pid);
    }
    const rest = open.waits.takeAll();
    // First those whose parent is not a waiting row (their waiting descendants follow them) ...
    const stack: { ev: SnapshotEvent; proc: LiveProcess }[] = [];
    const loops: { ev: SnapshotEvent; proc: LiveProcess }[] = [];
    const waitingNow = new Set(rest.map((r) => r.proc));
    const byParent = new Map<LiveProcess, { ev: SnapshotEvent; proc: LiveProcess }[]>();
    for (const r of rest) {
      const found = this.snapshotParent(host, r.row);
      const parent = found === r.proc ? undefined : found;
      if (parent !== undefined && waitingNow.has(parent)) {
        const list = byParent.get(parent);
        if (list) list.push({ ev: r.row, proc: r.proc });
        else byParent.set(parent, [{ ev: r.row, proc: r.proc }]);
        continue;
      }
      this.settleSnapshotRow(r.row, r.proc, parent ?? null);
      waitingNow.delete(r.proc);
      stack.push(...(byParent.get(r.proc) ?? []));
      byParent.delete(r.proc);
      while (stack.length > 0) {
        const next = stack.pop() as { ev: SnapshotEvent; proc: LiveProcess };
        this.settleSnapshotRow(next.ev, next.proc, this.snapshotParent(host, next.ev) ?? null);
        waitingNow.delete(next.proc);
        stack.push(...(byParent.get(next.proc) ?? []));
        byParent.delete(next.proc);
      }
    }
    // ... then rows whose parents name each other in a loop, and their descendants.
    for (const list of byParent.values()) loops.push(...list);
    for (const { ev, proc } of loops) {
      const parent = this.snapshotParent(host, ev);
      proc.parent = parent && parent !== proc ? parent : null;
      if (proc.parent) proc.ppid = proc.parent.pid;
    }
    const events = new Map(loops.map((l) => [l.proc, l.ev]));
    for (const { ev, proc } of loops) this.writeSnapshotImage(proc, ev, snapshotContainer(proc, events));
    if (open.rowsLinkedEarly > 0) {
      this.warn(
        `${open.rowsLinkedEarly} process-list rows were linked before the list ended, to keep memory bounded (at most ${this.snapshotWaiting} rows wait for a parent the list names later); ${open.listedLate} of the parents they named were listed later and are not linked to them (looked for among the last ${4 * this.snapshotWaiting} such parents)`,
        undefined,
      );
    }
  }

  /** A process only its own later events or its children showed: a marked placeholder. */
  private inferProcess(host: HostState, pid: number, ts: bigint, parent: LiveProcess | null, attrs?: ImageAttrs, guid?: string): LiveProcess {
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
    const image = imageRowFromAttrs(attrs ?? {}, parent ? parent.current : null, {
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

  private newProcess(host: HostState, init: Pick<LiveProcess, 'pid' | 'vpid' | 'ppid' | 'parent' | 'startNs' | 'origin' | 'guid'>): LiveProcess {
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
      resumed: false,
      knownEnd: null,
      knownParentExecId: null,
      knownParentProcessId: null,
      touched: ++this.clock,
      named: false,
      parkedOut: false,
      endedKept: false,
      seq: 0,
    };
    this.processCount += 1;
    this.file(host, proc);
    if (proc.guid) this.setGuid(host, proc.guid, proc);
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

  private endProcess(host: HostState, proc: LiveProcess, endNs: bigint | null, exit: Pick<ExitEvent, 'code' | 'signal' | 'core'>): void {
    if (host.byPid.get(proc.pid) === proc) host.byPid.delete(proc.pid);
    if (proc.guid && host.byGuid.get(proc.guid) === proc) host.byGuid.delete(proc.guid);
    this.emitProcess(proc, endNs, exit);
  }

  private emitProcess(proc: LiveProcess, endNs: bigint | null, exit: Pick<ExitEvent, 'code' | 'signal' | 'core'>): void {
    if (proc.exited) return;
    proc.exited = true;
    if (proc.resumed) {
      if (proc.pendingFork) this.imageId(proc);
      // The case already holds this process's images: only its end is new.
      this.known?.sink.resumedProcess(processRow(proc, endNs, exit, null, null));
      return;
    }
    this.imageId(proc);
    this.sink.process(processRow(proc, endNs, exit, proc.firstExecId || null, proc.current.execId || null));
    if (proc.named && !this.finishing) {
      // Its parked children come back to an unchanging copy of it, kept in the store.
      this.named.delete(proc.processId);
      this.keepEnded(proc);
    }
  }

  /**
   * Past the cap, parks the least recently used quarter of the table (or more, down to 3/4 of
   * the cap). Only processes whose every state lives in the record may go: not a fresh fork
   * (its image is not written yet), not one resumed from the case, not the parent of a process
   * in memory (which holds it by reference), not the child of a resumed one.
   */
  private parkIfFull(): void {
    const parking = this.parking;
    if (!parking) return;
    const inMemory = this.liveProcessCount();
    if (inMemory <= this.parkAbove) return;
    this.store ??= parking.open();
    this.filter ??= new ParkedFilter();
    const want = inMemory - Math.floor((parking.cap * 3) / 4);
    // A parent may go while its children stay: they hold a stand-in and look it up by id when
    // they need it. Which parents have children in memory tells which parked ones are named so.
    const parents = new Set<LiveProcess>();
    for (const host of this.hosts.values()) {
      for (const proc of host.byPid.values()) if (proc.parent !== null) parents.add(proc.parent);
      for (const proc of host.byGuid.values()) if (proc.parent !== null) parents.add(proc.parent);
    }
    const touches: number[] = [];
    for (const host of this.hosts.values()) for (const proc of host.byPid.values()) if (mayPark(proc)) touches.push(proc.touched);
    const newest = touches.length > want ? (Float64Array.from(touches).sort()[want - 1] as number) : Number.POSITIVE_INFINITY;
    const records: ParkedProcess[] = [];
    for (const host of this.hosts.values()) {
      for (const proc of host.byPid.values()) {
        if (records.length >= want) break;
        if (proc.touched <= newest && mayPark(proc)) records.push(this.parkOne(host, proc, parents.has(proc)));
      }
    }
    if (records.length > 0) this.store.park(records);
    this.parkAbove = Math.max(parking.cap, this.liveProcessCount() + Math.floor(parking.cap / 4));
  }

  private parkOne(host: HostState, proc: LiveProcess, hasChildrenInMemory: boolean): ParkedProcess {
    host.byPid.delete(proc.pid);
    const guidKeyed = proc.guid !== undefined && host.byGuid.get(proc.guid) === proc;
    if (guidKeyed) {
      host.byGuid.delete(proc.guid as string);
      this.filter?.addGuid(host.index, proc.guid as string);
    }
    this.filter?.addPid(host.index, proc.pid);
    const parent = proc.parent;
    if (parent !== null && !parent.parkedOut) {
      if (parent.exited) this.keepEnded(parent);
      else this.name(parent);
    }
    if (hasChildrenInMemory) proc.named = true;
    this.named.delete(proc.processId);
    this.parkedNow += 1;
    this.processesParked += 1;
    const record = parkedRecord(proc, guidKeyed);
    // Children in memory still hold this object: it becomes a stand-in, its state let go.
    proc.parkedOut = true;
    proc.current = PLACEHOLDER_EXEC;
    proc.parent = null;
    return record;
  }

  private name(proc: LiveProcess): void {
    proc.named = true;
    this.named.set(proc.processId, proc);
  }

  private keepEnded(proc: LiveProcess): void {
    if (proc.endedKept) return;
    proc.endedKept = true;
    this.store?.keepEnded(parkedRecord(proc, false));
  }

  /** A parked process back in memory, exactly as it was, its parent found (and brought back) by process id. */
  private unpark(host: HostState, parked: ParkedProcess): LiveProcess {
    const proc = fromRecord(parked, ++this.clock);
    this.parkedNow -= 1;
    this.filter?.removePid(host.index, proc.pid);
    host.byPid.set(proc.pid, proc);
    if (parked.guidKeyed && proc.guid !== undefined) {
      this.filter?.removeGuid(host.index, proc.guid);
      host.byGuid.set(proc.guid, proc);
    }
    if (proc.named) this.named.set(proc.processId, proc);
    if (parked.parentProcessId !== null) proc.parent = standIn(parked.parentProcessId, parked.parentPid, host.name);
    return proc;
  }

  /** A process's parent, looked up by id (and brought back) if it was parked. */
  private parentOf(proc: LiveProcess): LiveProcess | null {
    const parent = proc.parent;
    if (parent === null || !parent.parkedOut) return parent;
    const found = this.processById(parent.processId, parent.pid, parent.host);
    proc.parent = found;
    return found;
  }

  private processById(processId: number, pid: number, hostName: string): LiveProcess {
    const named = this.named.get(processId);
    if (named !== undefined) return named;
    const host = this.hosts.get(hostName);
    const live = host?.byPid.get(pid);
    if (live !== undefined && live.processId === processId) return live;
    const parked = this.store?.takeByProcessId(processId);
    if (parked !== undefined && host !== undefined) return this.unpark(host, parked);
    const ended = this.store?.ended(processId);
    if (ended === undefined) throw new Error(`the linker lost process ${processId}, the parent of a parked process`);
    const copy = fromRecord(ended, 0);
    copy.exited = true;
    copy.endedKept = true;
    if (ended.parentProcessId !== null) copy.parent = standIn(ended.parentProcessId, ended.parentPid, hostName);
    return copy;
  }
}

/** What a child holds for a parent that is parked: its keys only. */
function standIn(processId: number, pid: number, host: string): LiveProcess {
  const proc = fromRecord(STAND_IN, 0);
  proc.processId = processId;
  proc.pid = pid;
  proc.host = host;
  proc.parkedOut = true;
  return proc;
}

function mayPark(proc: LiveProcess): boolean {
  return !proc.resumed && !proc.exited && proc.current !== PLACEHOLDER_EXEC && !isWaitingImage(proc) && (proc.parent === null || !proc.parent.resumed);
}

/** A process-list row's process whose image is not written yet: it holds only its exec id. */
function isWaitingImage(proc: LiveProcess): boolean {
  return proc.current.kind === undefined && proc.current !== PLACEHOLDER_EXEC;
}

function parkedRecord(proc: LiveProcess, guidKeyed: boolean): ParkedProcess {
  return {
    processId: proc.processId,
    host: proc.host,
    pid: proc.pid,
    vpid: proc.vpid,
    ppid: proc.ppid,
    parentProcessId: proc.parent?.processId ?? null,
    parentPid: proc.parent?.pid ?? 0,
    startNs: proc.startNs,
    containerId: proc.containerId,
    origin: proc.origin,
    threadCount: proc.threadCount,
    guid: proc.guid ?? null,
    guidKeyed,
    current: proc.current,
    firstExecId: proc.firstExecId,
    pendingFork: proc.pendingFork,
    named: proc.named,
    seq: proc.seq,
  };
}

/** The process a record describes, its parent not yet set. */
function fromRecord(r: ParkedProcess, touched: number): LiveProcess {
  return {
    processId: r.processId,
    host: r.host,
    pid: r.pid,
    vpid: r.vpid,
    ppid: r.ppid,
    parent: null,
    startNs: r.startNs,
    containerId: r.containerId,
    origin: r.origin,
    threadCount: r.threadCount,
    guid: r.guid ?? undefined,
    current: r.current,
    firstExecId: r.firstExecId,
    exited: false,
    pendingFork: r.pendingFork,
    resumed: false,
    knownEnd: null,
    knownParentExecId: null,
    knownParentProcessId: null,
    touched,
    named: r.named,
    parkedOut: false,
    endedKept: false,
    seq: r.seq,
  };
}

function processRow(
  proc: LiveProcess,
  endNs: bigint | null,
  exit: Pick<ExitEvent, 'code' | 'signal' | 'core'>,
  firstExecId: number | null,
  lastExecId: number | null,
  parentProcessId = proc.parent?.processId ?? null,
): ProcessRow {
  return {
    processId: proc.processId,
    host: proc.host,
    pid: proc.pid,
    vpid: proc.vpid,
    ppid: proc.ppid,
    parentProcessId,
    startNs: proc.startNs,
    endNs,
    exitCode: exit.code ?? null,
    exitSignal: exit.signal ?? null,
    exitCore: exit.core ?? null,
    containerId: proc.containerId,
    origin: proc.origin,
    threadCount: proc.threadCount,
    firstExecId,
    lastExecId,
  };
}

const PLACEHOLDER_EXEC = { execId: 0 } as ExecRow;

/** The fields of a stand-in beside its keys. */
const STAND_IN: ParkedProcess = {
  processId: 0,
  host: '',
  pid: 0,
  vpid: null,
  ppid: null,
  parentProcessId: null,
  parentPid: 0,
  startNs: null,
  containerId: null,
  origin: 'inferred',
  threadCount: 1,
  guid: null,
  guidKeyed: false,
  current: PLACEHOLDER_EXEC,
  firstExecId: 0,
  pendingFork: false,
  named: false,
  seq: 0,
};

/** imageRowFromAttrs' options for a new program image, made once rather than per event. */
const NEW_PROGRAM = { newProgram: true };

/** Events that act on processes, and so need the pending process table linked first. */
const PROCESS_EVENTS: ReadonlySet<LineageEvent['kind']> = new Set(['fork', 'exec', 'exit', 'alert']);

/** A resumed process is taken to be still running this long after the end the case records. */
const RESUME_SLACK_NS = 1_000_000_000n;

function nonZero(ts: bigint | undefined): bigint | null {
  return ts === undefined || ts === 0n ? null : ts;
}

/** The container a process's own attributes name: undefined when they say nothing. */
function ownContainer(attrs: ImageAttrs): string | null | undefined {
  if (attrs.containerId !== undefined) return normalizeContainerId(attrs.containerId);
  return containerIdFromCgroups(attrs.cgroups);
}

/**
 * What a fork record says about the caller's image, when the record is the caller's own (audit's
 * clone SYSCALL record, which also names the caller's parent). A scap clone event is the child's
 * side: sysdig names an unseen caller `<NA>`, and so does pedigree.
 */
function callerImage(ev: ForkEvent): ImageAttrs | undefined {
  if (ev.callerParent === undefined) return undefined;
  if (ev.comm === undefined && ev.exe === undefined && ev.exepath === undefined) return undefined;
  const attrs: ImageAttrs = {};
  for (const key of ['comm', 'exe', 'exepath', 'cwd', 'uid', 'gid', 'euid', 'loginuid', 'user', 'tty', 'sid', 'cgroups', 'containerId'] as const) {
    if (ev[key] !== undefined) (attrs as Record<string, unknown>)[key] = ev[key];
  }
  return attrs;
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
