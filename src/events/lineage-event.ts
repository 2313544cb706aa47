/**
 * The lineage events every reader yields and the linker consumes.
 *
 * Each event carries what its source asserted and nothing more: a field the source did not
 * report is absent (undefined), never guessed. Times are nanoseconds since the epoch (UTC) as
 * bigint, because they exceed 2^53. The JSON-lines form of this union is pedigree's own capture
 * format (docs/event-format.md).
 */

/** Where in the input an event came from: a line (text formats) or a byte offset (binary). */
export interface SourcePosition {
  line?: number;
  offset?: number;
}

/** Attributes of one program image, as far as the source reports them. */
export interface ImageAttrs {
  /** Kernel comm, at most 15 characters (Falco `proc.name`). */
  comm?: string;
  /** argv[0] as passed to execve (Falco `proc.exe`). */
  exe?: string;
  /** Resolved executable path (Falco `proc.exepath`). */
  exepath?: string;
  /** argv[1..], exact, when the source has the array. */
  args?: string[];
  /** Full command line when the source only has a joined string (argv[0] included). */
  cmdline?: string;
  cwd?: string;
  uid?: number;
  gid?: number;
  euid?: number;
  /** Audit login uid; -1 (or 4294967295 in some sources) means unset. */
  loginuid?: number;
  user?: string;
  /** Controlling tty device number, 0 = none. */
  tty?: number;
  sid?: number;
  pgid?: number;
  vpgid?: number;
  /** Environment as `KEY=VALUE` items. */
  env?: string[];
  /** Cgroups as `controller=path` items (the container id is derived from them). */
  cgroups?: string[];
  /** Container id named by the source itself (12 hex or full); overrides cgroups. */
  containerId?: string;
  exeWritable?: boolean;
  exeUpperLayer?: boolean;
  exeLowerLayer?: boolean;
  exeFromMemfd?: boolean;
  /** Capability sets as space-separated `CAP_*` names. */
  capPermitted?: string;
  capEffective?: string;
  capInheritable?: string;
}

interface EventBase {
  /** Host the event happened on (hostname as the source names it). */
  host: string;
  /** Event time, ns since the epoch; 0n when the source gives none. */
  ts: bigint;
  pos?: SourcePosition;
  /** The event's ordinal in its capture, where the format numbers events (scap `evt.num`). */
  evtNum?: number;
}

/** A process or thread was created (clone, clone3, fork, vfork). */
export interface ForkEvent extends EventBase, ImageAttrs {
  kind: 'fork';
  /** The new task's process id (tgid) and thread id, host namespace. */
  pid: number;
  tid?: number;
  /** Ids inside the new task's pid namespace. */
  vpid?: number;
  vtid?: number;
  /** The creating process (clone caller's tgid). */
  ppid: number;
  /** CLONE_THREAD: a thread of `pid`, not a new process. */
  thread?: boolean;
  /** CLONE_PARENT: the new process's parent is the caller's parent. */
  cloneParent?: boolean;
  syscall?: 'clone' | 'clone3' | 'fork' | 'vfork';
  /** Raw clone flags as the source printed them. */
  flags?: string;
  /** Source-native process identity (Tetragon exec_id, Sysmon ProcessGuid, …). */
  guid?: string;
  parentGuid?: string;
  /** The caller's own parent, when the source names it (audit `ppid=` of a clone record). */
  callerParent?: ParentHint;
}

/** A program image began (execve/execveat), or an attempt failed. */
export interface ExecEvent extends EventBase, ImageAttrs {
  kind: 'exec';
  pid: number;
  /** The thread that called exec; differs from pid when a non-leader thread execs. */
  tid?: number;
  vpid?: number;
  /** Parent pid as reported at exec time (may be a reaper after re-parenting). */
  ppid?: number;
  /** How the source describes the parent, when it may not have been seen itself. */
  parent?: ParentHint;
  /** false for a failed exec; `errno` then holds the (positive) error number. */
  ok: boolean;
  errno?: number;
  syscall?: 'execve' | 'execveat';
  /** Process start (fork) time, when the source knows it (Sysmon GUID time, Tetragon). */
  startTs?: bigint;
  guid?: string;
  parentGuid?: string;
}

/** What a source says about a parent it describes inline (Sysmon, Tetragon, Falco alerts). */
export interface ParentHint extends ImageAttrs {
  pid: number;
  vpid?: number;
  startTs?: bigint;
  guid?: string;
}

/** A thread or process ended. */
export interface ExitEvent extends EventBase {
  kind: 'exit';
  pid: number;
  /** Exiting thread; a process ends when its leader (tid == pid) or the whole group exits. */
  tid?: number;
  /** The whole thread group exited (exit_group). */
  group?: boolean;
  code?: number;
  signal?: number;
  core?: boolean;
  /** Thread that inherits the children (scap procexit reaper_tid). */
  reaper?: number;
  guid?: string;
}

/** A task that existed when the capture began (initial process table, ps, /proc walk). */
export interface SnapshotEvent extends EventBase, ImageAttrs {
  kind: 'snapshot';
  pid: number;
  tid?: number;
  vpid?: number;
  vtid?: number;
  ppid?: number;
  /** Process start time, when known. */
  startTs?: bigint;
  guid?: string;
  parentGuid?: string;
}

/** Container metadata (runtime events, Tetragon pod info, Falco container fields). */
export interface ContainerEvent extends EventBase {
  kind: 'container';
  /** 12-hex short id or the full id; the writer keys containers by the short form. */
  id: string;
  fullId?: string;
  name?: string;
  image?: string;
  imageRepository?: string;
  imageTag?: string;
  imageDigest?: string;
  imageId?: string;
  runtime?: string;
  privileged?: boolean;
  podName?: string;
  podNamespace?: string;
  podUid?: string;
  labels?: Record<string, string>;
  podLabels?: Record<string, string>;
  hostPid?: boolean;
  hostNetwork?: boolean;
  mounts?: ContainerMount[];
  /** Where the metadata came from (`scap container_json`, `tetragon pod`, …). */
  source?: string;
}

export interface ContainerMount {
  source: string;
  destination: string;
  mode?: string;
  rw?: boolean;
  propagation?: string;
}

/** A user or group entry (scap user list, /etc/passwd side file). */
export interface UserEvent extends EventBase {
  kind: 'user';
  uid: number;
  name: string;
  gid?: number;
  home?: string;
  shell?: string;
  containerId?: string;
}

/** Machine facts (scap machine info block). */
export interface HostInfoEvent extends EventBase {
  kind: 'hostinfo';
  bootTs?: bigint;
  bootId?: string;
  cpus?: number;
  memoryBytes?: number;
}

/** A detection another tool raised (Falco JSON alert, Tetragon policy hit). */
export interface AlertEvent extends EventBase {
  kind: 'alert';
  rule: string;
  priority: string;
  output: string;
  source?: string;
  tags?: string[];
  fields?: Record<string, string | number | boolean | null>;
  pid?: number;
  containerId?: string;
}

export type LineageEvent = ForkEvent | ExecEvent | ExitEvent | SnapshotEvent | ContainerEvent | UserEvent | HostInfoEvent | AlertEvent;

export type LineageEventKind = LineageEvent['kind'];

export const LINEAGE_EVENT_KINDS: readonly LineageEventKind[] = ['fork', 'exec', 'exit', 'snapshot', 'container', 'user', 'hostinfo', 'alert'];
