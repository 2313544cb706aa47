import { posix } from 'node:path';
import type { ExecEvent, ExitEvent, ForkEvent, LineageEvent, SnapshotEvent } from '../../events/lineage-event.js';
import { capabilityNames } from './capabilities.js';
import {
  CL_CHILD_IN_PIDNS,
  CL_NEWPID,
  CL_PARENT,
  CL_THREAD,
  EXE_FROM_MEMFD,
  EXE_LOWER_LAYER,
  EXE_UPPER_LAYER,
  EXE_WRITABLE,
  cloneFlagNames,
} from './clone-flags.js';
import { containerFromFields, containerFromJson } from './container-meta.js';
import type { CloneSyscall } from './event-codes.js';
import type { EventParams } from './event-params.js';
import { CLONE_LAYOUTS, EXEC_CURRENT, EXEC_LAYOUTS } from './param-layouts.js';
import type { ProclistEntry } from './proclist.js';

/** The header fields of the event being decoded. */
export interface EventHeader {
  ts: bigint;
  tid: number;
  evtNum: number | undefined;
  offset: number;
}

/** What the reader remembers per thread: enough to resolve tids to processes and paths. */
interface ThreadState {
  pid: number;
  vtid?: number;
  vpid?: number;
  cwd?: string;
  /** Created from a child-side clone event; the caller-side twin is still to come. */
  awaitingCaller?: boolean;
  /** Created from a caller-side clone event; the child-side twin may still come. */
  awaitingChild?: boolean;
}

const AT_FDCWD = -100;
/** Caller-side forks wait this many lineage events for their child side before being used. */
const MAX_PENDING_FORKS = 1024;

/**
 * Turns decoded scap lineage events into LineageEvents (scap-format.md §12). It keeps a thread
 * table (tid → process, pid-namespace ids, cwd) so that parameters naming threads can be mapped
 * to processes, pairs the two exit events of a clone (the child side is preferred; the caller
 * side is used only when its `res` is a host id and the child side never shows), and carries
 * execve enter filenames over to their exits for `proc.exepath`.
 */
export class LineageDecoder {
  out: LineageEvent[] = [];
  host: string;
  private readonly threads = new Map<number, ThreadState>();
  private readonly execFilenames = new Map<number, string | null>();
  private readonly pendingForks = new Map<number, { ev: ForkEvent; callerPid: number }>();
  private readonly users = new Map<number, string>();

  constructor(host: string) {
    this.host = host;
  }

  addUser(uid: number, name: string): void {
    if (!this.users.has(uid)) this.users.set(uid, name);
  }

  private pidOf(tid: number): number {
    return this.threads.get(tid)?.pid ?? tid;
  }

  private cwdOf(tid: number): string | undefined {
    const t = this.threads.get(tid);
    if (!t) return undefined;
    return this.threads.get(t.pid)?.cwd ?? t.cwd;
  }

  private userOf(uid: number | undefined): string | undefined {
    return uid === undefined ? undefined : this.users.get(uid);
  }

  snapshot(entries: ProclistEntry[], offset: number): void {
    for (const e of entries) {
      const state: ThreadState = { pid: e.pid };
      if (e.vtid !== undefined && e.vpid !== undefined && e.vpid >= 0) {
        state.vtid = e.vtid;
        state.vpid = e.vpid;
      }
      if (e.cwd !== '') state.cwd = e.cwd;
      this.threads.set(e.tid, state);
    }
    for (const e of entries) {
      const ev: SnapshotEvent = { kind: 'snapshot', host: this.host, ts: 0n, pid: e.pid, tid: e.tid, pos: { offset } };
      if (e.ptid > 0) ev.ppid = e.ptid;
      const state = this.threads.get(e.tid);
      if (state?.vpid !== undefined) {
        ev.vpid = state.vpid;
        ev.vtid = state.vtid;
      }
      setIf(ev, 'comm', e.comm || undefined);
      setIf(ev, 'exe', e.exe);
      setIf(ev, 'exepath', e.exepath || undefined);
      ev.args = e.args;
      setIf(ev, 'cwd', e.cwd || undefined);
      ev.uid = e.uid;
      ev.gid = e.gid;
      setIf(ev, 'user', this.userOf(e.uid));
      setIf(ev, 'env', e.env);
      if (e.cgroups && e.cgroups.length > 0) ev.cgroups = e.cgroups;
      if (e.sid !== undefined && e.sid >= 0) ev.sid = e.sid;
      if (e.vpgid !== undefined && e.vpgid >= 0) ev.vpgid = e.vpgid;
      if (e.pgid !== undefined && e.pgid >= 0) ev.pgid = e.pgid;
      if (e.loginuid !== undefined) ev.loginuid = e.loginuid === 0xffffffff ? -1 : e.loginuid;
      setIf(ev, 'tty', e.tty);
      setIf(ev, 'exeWritable', e.exeWritable);
      setIf(ev, 'exeUpperLayer', e.exeUpperLayer);
      setIf(ev, 'exeLowerLayer', e.exeLowerLayer);
      setIf(ev, 'exeFromMemfd', e.exeFromMemfd);
      if (e.capPermitted !== undefined) ev.capPermitted = capabilityNames(e.capPermitted);
      if (e.capEffective !== undefined) ev.capEffective = capabilityNames(e.capEffective);
      if (e.capInheritable !== undefined) ev.capInheritable = capabilityNames(e.capInheritable);
      this.out.push(ev);
    }
  }

  /** Before any lineage event of a thread: a caller-side fork it depends on is due now. */
  touch(tid: number): void {
    if (this.pendingForks.size === 0) return;
    const pid = this.pidOf(tid);
    for (const [child, pending] of this.pendingForks) {
      if (child === tid || child === pid || pending.callerPid === pid) this.flushPending(child);
    }
  }

  /** End of input: caller-side forks whose child side never came are all we know. */
  finish(): void {
    for (const child of [...this.pendingForks.keys()]) this.flushPending(child);
  }

  private flushPending(child: number): void {
    const pending = this.pendingForks.get(child);
    if (!pending) return;
    this.pendingForks.delete(child);
    const state = this.threads.get(child);
    if (state) state.awaitingChild = true;
    this.out.push(pending.ev);
  }

  clone(p: EventParams, h: EventHeader, code: number, syscall: CloneSyscall): void {
    const layout = CLONE_LAYOUTS.get(code);
    const res = p.int(0);
    if (!layout || res === undefined || res < 0) return;
    const tid = p.int(3) ?? h.tid;
    const pid = p.int(4) ?? tid;
    const ptid = p.int(5);
    const flags = p.uint(layout.flags) ?? 0;
    const vtid = layout.vtid === undefined ? undefined : p.int(layout.vtid);
    const vpid = layout.vpid === undefined ? undefined : p.int(layout.vpid);
    if (res === 0) {
      this.cloneChild(p, h, layout, syscall, { tid, pid, ptid, flags, vtid, vpid });
    } else {
      this.cloneCaller(p, h, layout, syscall, { callerTid: tid, callerPid: pid, res, flags, vtid });
    }
  }

  private cloneChild(
    p: EventParams,
    h: EventHeader,
    layout: NonNullable<ReturnType<typeof CLONE_LAYOUTS.get>>,
    syscall: CloneSyscall,
    ids: { tid: number; pid: number; ptid: number | undefined; flags: number; vtid: number | undefined; vpid: number | undefined },
  ): void {
    const { tid, pid, ptid, flags, vtid, vpid } = ids;
    const thread = (flags & CL_THREAD) !== 0 || tid !== pid;
    this.pendingForks.delete(tid);
    const previous = this.threads.get(tid);
    const state: ThreadState = { pid: thread ? pid : tid, awaitingCaller: true };
    if (vtid !== undefined && vpid !== undefined && vtid > 0 && vpid > 0) {
      state.vtid = vtid;
      state.vpid = vpid;
    }
    const parentTid = ptid ?? pid;
    const cwd = p.str(6) ?? this.cwdOf(thread ? pid : parentTid);
    if (cwd !== undefined) state.cwd = cwd;
    this.threads.set(tid, state);
    // The caller side already created this task (it came first and its child side was late).
    if (previous?.awaitingChild) return;

    const ev = this.forkEvent(p, h, layout, syscall, { state, tid, ppid: this.pidOf(parentTid), flags, thread, cwd });
    this.out.push(ev);
  }

  /** The fork event either side of a clone describes, with the child's image when it is a process. */
  private forkEvent(
    p: EventParams,
    h: EventHeader,
    layout: NonNullable<ReturnType<typeof CLONE_LAYOUTS.get>>,
    syscall: CloneSyscall,
    child: { state: ThreadState; tid: number; ppid: number; flags: number; thread: boolean; cwd: string | undefined },
  ): ForkEvent {
    const { state, tid, ppid, flags, thread, cwd } = child;
    const ev: ForkEvent = {
      kind: 'fork',
      host: this.host,
      ts: h.ts,
      evtNum: h.evtNum,
      pos: { offset: h.offset },
      pid: state.pid,
      tid,
      ppid,
      syscall,
    };
    if (thread) ev.thread = true;
    if (flags !== 0) ev.flags = cloneFlagNames(flags);
    if (state.vpid !== undefined) {
      ev.vpid = state.vpid;
      ev.vtid = state.vtid;
    }
    if (!thread) this.imageFromClone(p, layout, ev, cwd);
    return ev;
  }

  private cloneCaller(
    p: EventParams,
    h: EventHeader,
    layout: NonNullable<ReturnType<typeof CLONE_LAYOUTS.get>>,
    syscall: CloneSyscall,
    ids: { callerTid: number; callerPid: number; res: number; flags: number; vtid: number | undefined },
  ): void {
    const { callerTid, callerPid, res, flags, vtid } = ids;
    // In another pid namespace `res` is a virtual id, and CLONE_PARENT children belong to the
    // caller's parent: leave both to the child-side event (the rule current libsinsp applies).
    if ((flags & (CL_CHILD_IN_PIDNS | CL_NEWPID | CL_PARENT)) !== 0) return;
    if (vtid !== undefined && vtid > 0 && vtid !== callerTid) return;
    const child = this.threads.get(res);
    if (child?.awaitingCaller) {
      child.awaitingCaller = false;
      return;
    }
    const thread = (flags & CL_THREAD) !== 0;
    const state: ThreadState = { pid: thread ? callerPid : res };
    // A caller in the initial pid namespace (vtid == tid, no NEWPID) puts its child there too.
    if (vtid !== undefined && vtid === callerTid) {
      state.vtid = res;
      state.vpid = thread ? (this.threads.get(callerPid)?.vpid ?? callerPid) : res;
    }
    const cwd = p.str(6) ?? this.cwdOf(callerTid);
    if (cwd !== undefined) state.cwd = cwd;
    this.threads.set(res, state);
    const ev = this.forkEvent(p, h, layout, syscall, { state, tid: res, ppid: callerPid, flags, thread, cwd });
    this.pendingForks.set(res, { ev, callerPid });
    if (this.pendingForks.size > MAX_PENDING_FORKS) {
      const oldest = this.pendingForks.keys().next().value;
      if (oldest !== undefined) this.flushPending(oldest);
    }
  }

  /** A forked child runs its parent's image: the clone parameters describe it. */
  private imageFromClone(p: EventParams, layout: NonNullable<ReturnType<typeof CLONE_LAYOUTS.get>>, ev: ForkEvent, cwd: string | undefined): void {
    setIf(ev, 'exe', p.rawStr(1));
    setIf(ev, 'args', p.list(2) ?? (p.count > 2 ? [] : undefined));
    setIf(ev, 'cwd', cwd);
    if (layout.comm !== undefined) setIf(ev, 'comm', p.str(layout.comm));
    if (layout.cgroups !== undefined) setIf(ev, 'cgroups', p.list(layout.cgroups));
    const uid = p.uint(layout.uid);
    if (uid !== undefined) {
      ev.uid = uid;
      setIf(ev, 'user', this.userOf(uid));
    }
    setIf(ev, 'gid', p.uint(layout.gid));
  }

  execveEnter(p: EventParams, h: EventHeader): void {
    const filename = p.str(0);
    if (filename !== undefined) this.execFilenames.set(h.tid, this.absolute(filename, h.tid));
  }

  execveatEnter(p: EventParams, h: EventHeader): void {
    const dirfd = p.int(0);
    const pathname = p.str(1);
    if (pathname !== undefined && (pathname.startsWith('/') || dirfd === AT_FDCWD)) {
      this.execFilenames.set(h.tid, this.absolute(pathname, h.tid));
    } else {
      // Relative to a directory fd (or AT_EMPTY_PATH): the fd table is not tracked.
      this.execFilenames.set(h.tid, null);
    }
  }

  chdir(p: EventParams, h: EventHeader): void {
    const path = p.str(1);
    if (p.int(0) !== 0 || path === undefined) return;
    const cwd = this.absolute(path, h.tid);
    const t = this.threads.get(h.tid);
    if (!t) {
      this.threads.set(h.tid, { pid: h.tid, cwd });
      return;
    }
    const leader = this.threads.get(t.pid);
    if (leader) leader.cwd = cwd;
    t.cwd = cwd;
  }

  private absolute(path: string, tid: number): string {
    if (path.startsWith('/')) return path;
    const cwd = this.cwdOf(tid);
    return cwd === undefined ? path : posix.join(cwd, path);
  }

  exec(p: EventParams, h: EventHeader, code: number, syscall: 'execve' | 'execveat'): void {
    const layout = EXEC_LAYOUTS.get(code);
    const res = p.int(0);
    if (!layout || res === undefined) return;
    const tid = p.int(3) ?? h.tid;
    const pid = p.int(4) ?? this.pidOf(tid);
    const ptid = p.int(5);
    const ev: ExecEvent = {
      kind: 'exec',
      host: this.host,
      ts: h.ts,
      evtNum: h.evtNum,
      pos: { offset: h.offset },
      pid,
      tid,
      ok: res >= 0,
      syscall,
    };
    if (ptid !== undefined && ptid > 0) ev.ppid = this.pidOf(ptid);
    const vpid = this.threads.get(pid)?.vpid;
    if (vpid !== undefined) ev.vpid = vpid;

    const exepath = this.exepathFor(p, h, layout.current, pid, syscall);
    if (res < 0) {
      ev.errno = -res;
      setIf(ev, 'exe', p.rawStr(1));
      setIf(ev, 'args', p.list(2));
      setIf(ev, 'exepath', exepath);
      this.out.push(ev);
      return;
    }
    setIf(ev, 'exe', p.rawStr(1));
    ev.args = p.list(2) ?? [];
    // sysdig resets proc.exepath on every successful exec: a version without a path gives "".
    ev.exepath = exepath ?? '';
    setIf(ev, 'cwd', p.str(6) ?? this.cwdOf(tid));
    if (layout.comm !== undefined) setIf(ev, 'comm', p.str(layout.comm));
    if (layout.cgroups !== undefined) setIf(ev, 'cgroups', p.list(layout.cgroups));
    if (layout.env !== undefined) setIf(ev, 'env', p.list(layout.env));
    if (layout.tty !== undefined) setIf(ev, 'tty', p.int(layout.tty));
    if (layout.current) this.currentExecParams(p, ev);
    this.out.push(ev);

    // A non-leader thread that execs becomes the leader; the group's other threads are gone.
    if (tid !== pid) {
      const t = this.threads.get(tid);
      this.threads.delete(tid);
      if (t && !this.threads.has(pid)) this.threads.set(pid, { ...t, pid });
    }
  }

  /**
   * proc.exepath: the kernel-resolved path when the event has it (libs ≥ 0.13), else the enter
   * event's filename made absolute with the thread's cwd (what sysdig 0.29.3 does), else the
   * exit's own filename parameter (libs ≥ 0.23, exit-only captures).
   */
  private exepathFor(p: EventParams, h: EventHeader, current: boolean, pid: number, syscall: string): string | undefined {
    let fromEnter = this.execFilenames.get(h.tid);
    if (fromEnter !== undefined) {
      this.execFilenames.delete(h.tid);
    } else if (this.execFilenames.size > 0) {
      for (const [tid, name] of this.execFilenames) {
        if (this.pidOf(tid) === pid) {
          fromEnter = name;
          this.execFilenames.delete(tid);
          break;
        }
      }
    }
    if (current) {
      const trusted = p.str(EXEC_CURRENT.trustedExepath);
      if (trusted !== undefined) return trusted;
    }
    if (fromEnter !== undefined) return fromEnter ?? undefined;
    if (current && syscall === 'execve') {
      const filename = p.str(EXEC_CURRENT.filename);
      if (filename !== undefined) return this.absolute(filename, h.tid);
    }
    return undefined;
  }

  private currentExecParams(p: EventParams, ev: ExecEvent): void {
    const c = EXEC_CURRENT;
    const vpgid = p.int(c.vpgid);
    if (vpgid !== undefined && vpgid >= 0) ev.vpgid = vpgid;
    setIf(ev, 'loginuid', p.int(c.loginuid));
    const flags = p.uint(c.flags);
    if (flags !== undefined) {
      ev.exeWritable = (flags & EXE_WRITABLE) !== 0;
      ev.exeUpperLayer = (flags & EXE_UPPER_LAYER) !== 0;
      ev.exeFromMemfd = (flags & EXE_FROM_MEMFD) !== 0;
      ev.exeLowerLayer = (flags & EXE_LOWER_LAYER) !== 0;
    }
    const inh = p.bigUint(c.capInheritable);
    const perm = p.bigUint(c.capPermitted);
    const eff = p.bigUint(c.capEffective);
    if (inh !== undefined) ev.capInheritable = capabilityNames(inh);
    if (perm !== undefined) ev.capPermitted = capabilityNames(perm);
    if (eff !== undefined) ev.capEffective = capabilityNames(eff);
    const uid = p.uint(c.uid);
    if (uid !== undefined) {
      ev.uid = uid;
      setIf(ev, 'user', this.userOf(uid));
    }
    const pgid = p.int(c.pgid);
    if (pgid !== undefined && pgid >= 0) ev.pgid = pgid;
    setIf(ev, 'gid', p.uint(c.gid));
  }

  procexit(p: EventParams, h: EventHeader): void {
    const tid = h.tid;
    const pid = this.pidOf(tid);
    const ev: ExitEvent = { kind: 'exit', host: this.host, ts: h.ts, evtNum: h.evtNum, pos: { offset: h.offset }, pid, tid };
    const status = p.int(0);
    if (p.count >= 4) {
      setIf(ev, 'code', p.int(1));
      setIf(ev, 'signal', p.uint(2) || undefined);
      const core = p.uint(3);
      if (core !== undefined) ev.core = core !== 0;
    } else if (status !== undefined) {
      const sig = status & 0x7f;
      if (sig === 0) ev.code = (status >> 8) & 0xff;
      else ev.signal = sig;
      ev.core = (status & 0x80) !== 0;
    }
    const reaper = p.int(4);
    if (reaper !== undefined && reaper > 0) ev.reaper = reaper;
    this.threads.delete(tid);
    this.execFilenames.delete(tid);
    this.out.push(ev);
  }

  containerOld(p: EventParams, h: EventHeader): void {
    const id = p.str(0);
    if (id === undefined) return;
    const ev = containerFromFields(id, p.uint(1), p.str(2), p.str(3), this.host);
    this.pushContainer(ev, h);
  }

  containerJson(p: EventParams, h: EventHeader): boolean {
    const json = p.str(0);
    if (json === undefined) return true;
    const ev = containerFromJson(json, this.host, 'scap container_json');
    if (!ev) return false;
    this.pushContainer(ev, h);
    return true;
  }

  /** The container plugin's async event: name `container` carries the same JSON in `data`. */
  asyncEvent(p: EventParams, h: EventHeader): boolean {
    if (p.str(1) !== 'container') return true;
    const data = p.bytes(2);
    if (data === undefined) return true;
    const nul = data.indexOf(0);
    const ev = containerFromJson(data.toString('utf8', 0, nul < 0 ? data.length : nul), this.host, 'scap container plugin');
    if (!ev) return false;
    this.pushContainer(ev, h);
    return true;
  }

  private pushContainer(ev: LineageEvent & { kind: 'container' }, h: EventHeader): void {
    ev.ts = h.ts;
    ev.evtNum = h.evtNum;
    ev.pos = { offset: h.offset };
    this.out.push(ev);
  }
}

function setIf<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}
