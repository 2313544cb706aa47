import { BlockWriter, param, type Param, type ScapThread, type ScapUser } from './block-writer.js';

/** PPM_CL_* bits the builder sets. */
export const CL = {
  FILES: 1 << 0,
  FS: 1 << 1,
  NEWPID: 1 << 6,
  PARENT: 1 << 8,
  SIGHAND: 1 << 11,
  THREAD: 1 << 13,
  VM: 1 << 15,
  CHILD_CLEARTID: 1 << 23,
  CHILD_SETTID: 1 << 24,
  VFORK: 1 << 27,
  CHILD_IN_PIDNS: 1 << 29,
} as const;

const CLONE_EXIT = { clone: 223, fork: 225, vfork: 227, clone3: 335 } as const;
const CLONE_ENTER = { clone: 222, fork: 224, vfork: 226, clone3: 334 } as const;
export type CloneKind = keyof typeof CLONE_EXIT;

/** What the builder knows about a live thread, to fill in the parameters of its events. */
interface Task {
  tid: number;
  pid: number;
  ptid: number;
  vtid: number;
  vpid: number;
  comm: string;
  exe: string;
  args: string[];
  cwd: string;
  cgroups: string[];
  uid: number;
  gid: number;
}

export interface CaptureOptions {
  hostname?: string;
  users?: ScapUser[];
  threads?: ScapThread[];
  /** First event time, ns since the epoch. */
  startTs?: bigint;
  /** The machine's boot time in the machine info block (default 1_690_000_000 s). */
  bootTs?: bigint;
  /** Writes EVF_V2 blocks (with a dump-flags word) instead of EV_V2. */
  flagsBlocks?: boolean;
}

export interface ForkOptions {
  kind?: CloneKind;
  flags?: number;
  /** Child's ids inside its pid namespace (default: the host ids). */
  vtid?: number;
  vpid?: number;
  /** What the caller's `res` says (default: the child's vtid as the caller sees it). */
  callerRes?: number;
  /** Which exit events to write and in which order (default: caller first, then child). */
  sides?: ('caller' | 'child')[];
  /** Parent the kernel records for the child (default: the caller, or its parent for CLONE_PARENT). */
  ptid?: number;
  /** The child's uid/gid (default: the caller's). */
  uid?: number;
  gid?: number;
  /** The child's working directory as later events resolve paths (default: the caller's). */
  cwd?: string;
}

export interface ExecOptions {
  /** Path given to execve (enter event `filename`); default: exepath. */
  filename?: string;
  exepath?: string;
  args?: string[];
  comm?: string;
  cgroups?: string[];
  env?: string[];
  /** Negative errno for a failed exec. */
  res?: number;
  /** The exit event's ptid (default: the task's recorded parent). */
  ptid?: number;
  execveat?: { dirfd: number; pathname: string; flags?: number };
  /** Write the enter event (default true). */
  enter?: boolean;
  loginuid?: number;
  /** argv[0] (default: the filename). */
  argv0?: string;
}

/**
 * Builds a valid scap capture from a story: an initial process table, then forks, execs,
 * threads, exits, container metadata and filler syscalls. It tracks the threads it has created
 * so every event carries consistent ids, images and cgroups, the way a kernel driver would
 * write them (enter + exit events, both clone exit sides).
 */
export class CaptureBuilder {
  readonly w: BlockWriter;
  private readonly tasks = new Map<number, Task>();
  private ts: bigint;
  private readonly evFlags: number | undefined;
  private headerWritten = false;

  constructor(
    sink: (chunk: Buffer) => void,
    private readonly opts: CaptureOptions = {},
  ) {
    this.w = new BlockWriter(sink);
    this.ts = opts.startTs ?? 1_700_000_000_000_000_000n;
    this.evFlags = opts.flagsBlocks ? 0 : undefined;
    for (const t of opts.threads ?? []) {
      this.tasks.set(t.tid, {
        tid: t.tid,
        pid: t.pid,
        ptid: t.ptid,
        vtid: t.vtid ?? t.tid,
        vpid: t.vpid ?? t.pid,
        comm: t.comm,
        exe: t.exe,
        args: t.args ?? [],
        cwd: t.cwd ?? '/',
        cgroups: t.cgroups ?? [],
        uid: t.uid ?? 0,
        gid: t.gid ?? 0,
      });
    }
  }

  /** SHB, MI, UL_V2 and PL_V9 (written on the first event if not called). */
  header(): this {
    if (this.headerWritten) return this;
    this.headerWritten = true;
    this.w.sectionHeader();
    this.w.machineInfo(this.opts.hostname ?? 'scap-writer-host', { bootTs: this.opts.bootTs ?? 1_690_000_000_000_000_000n });
    if (this.opts.users) this.w.userList(this.opts.users);
    this.w.procList(this.opts.threads ?? []);
    return this;
  }

  /** Advances the clock by `ns` and returns the new time. */
  tick(ns = 1000n): bigint {
    this.ts += ns;
    return this.ts;
  }

  task(tid: number): Task {
    const t = this.tasks.get(tid);
    if (!t) throw new Error(`scap builder: unknown task ${tid}`);
    return t;
  }

  raw(type: number, tid: number, params: readonly Param[]): this {
    this.header();
    this.w.event(type, this.tick(), tid, params, this.evFlags === undefined ? {} : { flags: this.evFlags });
    return this;
  }

  private cloneExit(kind: CloneKind, emitter: Task, res: number, flags: number, ptid: number): void {
    this.raw(CLONE_EXIT[kind], emitter.tid, [
      param.i64(res),
      param.str(emitter.exe),
      param.list(emitter.args),
      param.i64(emitter.tid),
      param.i64(emitter.pid),
      param.i64(ptid),
      param.str(''),
      param.i64(1024),
      param.u64(0),
      param.u64(0),
      param.u32(0),
      param.u32(0),
      param.u32(0),
      param.str(emitter.comm),
      param.list(emitter.cgroups),
      param.u32(flags),
      param.u32(emitter.uid),
      param.u32(emitter.gid),
      param.i64(emitter.vtid),
      param.i64(emitter.vpid),
    ]);
  }

  /** `caller` (a thread id) creates process `child` (or a thread of itself with CL.THREAD). */
  fork(callerTid: number, child: number, o: ForkOptions = {}): this {
    const caller = this.task(callerTid);
    const kind = o.kind ?? 'clone';
    const flags = (o.flags ?? (kind === 'clone' ? CL.CHILD_CLEARTID | CL.CHILD_SETTID : 0)) | (kind === 'vfork' ? CL.VFORK | CL.VM : 0);
    const thread = (flags & CL.THREAD) !== 0;
    const pid = thread ? caller.pid : child;
    const callerParent = this.tasks.get(caller.ptid);
    const ptid = o.ptid ?? (thread || (flags & CL.PARENT) !== 0 ? (callerParent?.tid ?? caller.ptid) : caller.tid);
    const vtid = o.vtid ?? child;
    const task: Task = {
      ...caller,
      tid: child,
      pid,
      ptid,
      vtid,
      vpid: thread ? caller.vpid : (o.vpid ?? vtid),
      args: [...caller.args],
      uid: o.uid ?? caller.uid,
      gid: o.gid ?? o.uid ?? caller.gid,
      cwd: o.cwd ?? caller.cwd,
    };
    this.raw(CLONE_ENTER[kind], caller.tid, []);
    const sides = o.sides ?? ['caller', 'child'];
    for (const side of sides) {
      if (side === 'caller') this.cloneExit(kind, caller, o.callerRes ?? (caller.vtid !== caller.tid ? task.vtid : child), flags, caller.ptid);
      else this.cloneExit(kind, task, 0, flags, ptid);
    }
    this.tasks.set(child, task);
    return this;
  }

  /** `tid` runs a new program. */
  exec(tid: number, o: ExecOptions): this {
    const t = this.task(tid);
    const exepath = o.exepath ?? o.filename ?? '/bin/true';
    const filename = o.filename ?? exepath;
    const args = o.args ?? [];
    const comm = (o.comm ?? exepath.slice(exepath.lastIndexOf('/') + 1)).slice(0, 15);
    const res = o.res ?? 0;
    if (o.enter !== false) {
      if (o.execveat) {
        this.raw(330, tid, [param.i64(o.execveat.dirfd), param.str(o.execveat.pathname), param.u32(o.execveat.flags ?? 0)]);
      } else {
        this.raw(292, tid, [param.str(filename)]);
      }
    }
    // A successful exec from a non-leader thread reports the leader's id (the kernel swaps them).
    const reportTid = res === 0 ? t.pid : tid;
    const image = res === 0 ? { comm, exe: filename, args, cgroups: o.cgroups ?? t.cgroups } : t;
    this.raw(o.execveat ? 331 : 293, reportTid, [
      param.i64(res),
      param.str(o.argv0 ?? filename),
      param.list(args),
      param.i64(reportTid),
      param.i64(t.pid),
      param.i64(o.ptid ?? t.ptid),
      param.str(''),
      param.u64(1024),
      param.u64(0),
      param.u64(0),
      param.u32(0),
      param.u32(0),
      param.u32(0),
      param.str(image.comm),
      param.list(image.cgroups),
      param.list(o.env ?? ['PATH=/usr/bin:/bin']),
      param.u32(0),
      param.i64(t.pid),
      param.u32((o.loginuid ?? -1) >>> 0),
      param.u32(0),
    ]);
    if (res === 0) {
      if (tid !== t.pid) {
        this.tasks.delete(tid);
        const leader = this.task(t.pid);
        Object.assign(leader, { comm, exe: filename, args, cgroups: image.cgroups });
      } else {
        Object.assign(t, { comm, exe: filename, args, cgroups: image.cgroups });
      }
    }
    return this;
  }

  /** `tid` exits with a wait status (exit code << 8, or a signal number). */
  exit(tid: number, status = 0): this {
    this.raw(186, tid, [param.i64(status), param.i64((status >> 8) & 0xff), param.u8(status & 0x7f), param.u8(0)]);
    this.tasks.delete(tid);
    return this;
  }

  /** A container metadata event (CONTAINER_JSON_2_E, as libs ≥ 0.9 write it; tid −1). */
  container(c: {
    id: string;
    name: string;
    image: string;
    labels?: Record<string, string>;
    privileged?: boolean;
    /** Docker's Mounts entries (default none: the mounts are not known). */
    mounts?: { Source: string; Destination: string; Mode?: string; RW?: boolean; Propagation?: string }[];
  }): this {
    const json = JSON.stringify({
      container: {
        id: c.id.slice(0, 12),
        full_id: c.id,
        type: 7,
        name: c.name,
        image: c.image,
        imagerepo: c.image.split(':')[0],
        imagetag: c.image.split(':')[1] ?? 'latest',
        privileged: c.privileged ?? false,
        labels: c.labels ?? {},
        Mounts: c.mounts ?? [],
      },
    });
    return this.raw(324, -1, [param.str(json)]);
  }

  /** Ordinary syscalls (read/write pairs) by `tid`: what most of a real capture is. */
  filler(tid: number, pairs: number, dataBytes = 16): this {
    const data = Buffer.alloc(dataBytes, 0x61);
    for (let i = 0; i < pairs; i++) {
      this.raw(6, tid, [param.i64(3), param.u32(dataBytes)]);
      this.raw(7, tid, [param.i64(dataBytes), param.bytes(data)]);
    }
    return this;
  }

  /** Flushes buffered blocks to the sink. */
  end(): void {
    this.header();
    this.w.flush();
  }
}

/** Builds a capture in memory. */
export function buildCapture(opts: CaptureOptions, story: (b: CaptureBuilder) => void): Buffer {
  const chunks: Buffer[] = [];
  const b = new CaptureBuilder((c) => chunks.push(c), opts);
  b.header();
  story(b);
  b.end();
  return Buffer.concat(chunks);
}

export const dockerCgroups = (id: string): string[] => ['cpuset', 'cpu', 'memory', 'pids'].map((c) => `${c}=/docker/${id}`);
