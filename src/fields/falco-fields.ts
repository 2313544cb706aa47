/**
 * Falco field names mapped to SQL over the case database, declared once: the rule compiler
 * and `pedigree execs -p` both read this table, and `pedigree fields` prints it.
 *
 * Expressions are written against these aliases, which the query builder provides:
 *   e  the exec row (execs)          p  its process (processes)
 *   c  its container (containers)    h  its host (hosts)
 *   a1 … aN  ancestor images along parent_exec_id (a1 = the parent's image at this event)
 * A field with an argument (`proc.aname[2]`, `proc.env[HOME]`) gets it already validated; any
 * value from the user is a bound parameter, never SQL text.
 */

import { type RawBuilder, sql } from 'kysely';

export type FieldType = 'string' | 'int' | 'bool' | 'abstime' | 'reltime';

/** What a field accepts in brackets: nothing, an ancestor depth, or a key (env name, label). */
export type FieldArgKind = 'none' | 'depth' | 'key';

/** A field's SQL expression: kysely's `sql` tag, so an argument can only be a bound parameter. */
export type FieldSql = RawBuilder<unknown>;

/** Collects the joins an expression needs while it is built. */
export interface FieldSqlContext {
  /** Alias of the N-th ancestor image (N ≥ 1), joining it in if needed. */
  ancestor(depth: number): string;
  /** Requests the processes join (alias p). */
  process(): string;
  /** Requests the containers join (alias c). */
  container(): string;
  /** Requests the hosts join (alias h). */
  host(): string;
}

export interface FalcoField {
  name: string;
  type: FieldType;
  description: string;
  arg: FieldArgKind;
  /** Argument required (`proc.env[NAME]` style fields that make no sense bare). */
  argRequired?: boolean;
  /**
   * For ancestor fields: the execs column compared at each level, so the compiler can express
   * the bare form (`proc.aname` = any ancestor) as a walk.
   */
  ancestorColumn?: string;
  build(ctx: FieldSqlContext, arg: string | number | undefined): FieldSql;
  /**
   * For fields whose data only some sources carry (mounts): SQL true when the row's source
   * carried it. Where it is false the value is unknown, not missing: a check on it is unknown
   * and so is its negation (SQL's NULL), so `not container.mount.dest[/proc*] in (…)` does not
   * fire on a container whose mounts nobody recorded.
   */
  known?: (ctx: FieldSqlContext) => string;
  /** What the case lacks when no row has the data, for `rules check --db`. */
  coverage?: string;
}

const plain = (text: string): FieldSql => sql.raw(text);

function col(name: string, type: FieldType, description: string, expr: string): FalcoField {
  return { name, type, description, arg: 'none', build: () => plain(expr) };
}

function viaProcess(name: string, type: FieldType, description: string, column: string): FalcoField {
  return { name, type, description, arg: 'none', build: (ctx) => plain(`${ctx.process()}.${column}`) };
}

function viaContainer(name: string, type: FieldType, description: string, column: string): FalcoField {
  return {
    name,
    type,
    description,
    arg: 'none',
    build: (ctx) => plain(`${ctx.container()}.${column}`),
  };
}

function viaParent(name: string, type: FieldType, description: string, column: string): FalcoField {
  return { name, type, description, arg: 'none', build: (ctx) => plain(`${ctx.ancestor(1)}.${column}`) };
}

/** `proc.aname[N]` and friends: the N-th ancestor's column; N = 0 is the process itself. */
function viaAncestor(name: string, type: FieldType, description: string, column: string): FalcoField {
  return {
    name,
    type,
    description,
    arg: 'depth',
    ancestorColumn: column,
    build: (ctx, arg) => {
      const depth = typeof arg === 'number' ? arg : 1;
      return plain(depth === 0 ? `e.${column}` : `${ctx.ancestor(depth)}.${column}`);
    },
  };
}

const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  3: 'ESRCH',
  4: 'EINTR',
  5: 'EIO',
  7: 'E2BIG',
  8: 'ENOEXEC',
  9: 'EBADF',
  11: 'EAGAIN',
  12: 'ENOMEM',
  13: 'EACCES',
  14: 'EFAULT',
  20: 'ENOTDIR',
  21: 'EISDIR',
  22: 'EINVAL',
  23: 'ENFILE',
  24: 'EMFILE',
  26: 'ETXTBSY',
  36: 'ENAMETOOLONG',
  40: 'ELOOP',
};

const EVT_RES_SQL =
  "CASE WHEN e.res IS NULL THEN NULL WHEN e.res >= 0 THEN 'SUCCESS' " +
  Object.entries(ERRNO_NAMES)
    .map(([num, errName]) => `WHEN e.res = -${num} THEN '${errName}'`)
    .join(' ') +
  " ELSE 'E' || CAST(-e.res AS TEXT) END";

/** The execve `flags` parameter rebuilt from the exe_* columns; unknown when none was recorded. */
const EXE_FLAGS_SQL =
  'CASE WHEN COALESCE(e.exe_writable, e.exe_upper_layer, e.exe_from_memfd, e.exe_lower_layer) IS NULL THEN NULL ' +
  "ELSE COALESCE(NULLIF(rtrim(CASE WHEN e.exe_writable = 1 THEN 'EXE_WRITABLE|' ELSE '' END || " +
  "CASE WHEN e.exe_upper_layer = 1 THEN 'EXE_UPPER_LAYER|' ELSE '' END || " +
  "CASE WHEN e.exe_from_memfd = 1 THEN 'EXE_FROM_MEMFD|' ELSE '' END || " +
  "CASE WHEN e.exe_lower_layer = 1 THEN 'EXE_LOWER_LAYER|' ELSE '' END, '|'), ''), '0') END";

const FIELDS: FalcoField[] = [
  // evt.*
  col('evt.num', 'int', "the event's ordinal in its capture (sysdig numbering)", 'e.evt_num'),
  col('evt.time', 'abstime', 'event time, ns since the epoch', 'e.ts_ns'),
  col('evt.rawtime', 'abstime', 'event time, ns since the epoch', 'e.ts_ns'),
  col('evt.type', 'string', 'event type: execve, execveat (clone, fork, … for fork rows)', 'e.evt_type'),
  col('evt.dir', 'string', "event direction; always '<' (exit events)", "'<'"),
  col('evt.res', 'string', 'result: SUCCESS or the errno name (ENOENT, …)', EVT_RES_SQL),
  col('evt.rawres', 'int', 'numeric result: 0 or a negative errno', 'e.res'),
  col('evt.arg.flags', 'string', 'execve exe flags as Falco prints them (EXE_WRITABLE|EXE_UPPER_LAYER|…, 0 for none)', EXE_FLAGS_SQL),
  col('evt.failed', 'bool', 'true when the exec failed', 'CASE WHEN e.res IS NULL THEN NULL ELSE e.res < 0 END'),
  col('evt.source', 'string', "event source; always 'syscall'", "'syscall'"),
  {
    name: 'evt.hostname',
    type: 'string',
    description: 'host the event happened on',
    arg: 'none',
    build: (ctx) => plain(`${ctx.host()}.hostname`),
  },
  // proc.* of the process itself
  col('proc.pid', 'int', 'process id (host namespace)', 'e.pid'),
  col('thread.tid', 'int', 'thread that made the call', 'e.tid'),
  col('proc.vpid', 'int', 'process id inside its pid namespace (1 = container init)', 'e.vpid'),
  {
    name: 'proc.ppid',
    type: 'int',
    description: 'parent process id (the creator, kept after it exits)',
    arg: 'none',
    build: (ctx) => plain(`COALESCE(${ctx.ancestor(1)}.pid, e.ppid)`),
  },
  viaParent('proc.pvpid', 'int', "parent's pid inside its pid namespace", 'vpid'),
  col('proc.name', 'string', 'process name (comm, at most 15 characters)', 'e.name'),
  col('proc.exe', 'string', 'argv[0] as passed to exec', 'e.exe'),
  col('proc.exepath', 'string', 'resolved executable path', 'e.exepath'),
  col('proc.args', 'string', 'arguments after argv[0], joined by spaces', "CASE WHEN e.name IS NULL THEN NULL ELSE COALESCE(e.args, '') END"),
  col('proc.cmdline', 'string', 'name and arguments (comm + args)', 'e.cmdline'),
  col(
    'proc.exeline',
    'string',
    'argv[0] and arguments',
    "CASE WHEN e.exe IS NULL THEN NULL WHEN e.args IS NULL OR e.args = '' THEN e.exe ELSE e.exe || ' ' || e.args END",
  ),
  col('proc.cwd', 'string', 'working directory at exec', 'e.cwd'),
  col('proc.tty', 'int', 'controlling terminal device number, 0 = none', 'e.tty'),
  col('proc.sid', 'int', 'session id', 'e.sid'),
  col('proc.vpgid', 'int', 'process group id in its pid namespace', 'e.vpgid'),
  col('proc.pgid', 'int', 'process group id (host namespace)', 'e.pgid'),
  col('proc.is_sid_leader', 'bool', 'true if it leads its session', 'CASE WHEN e.sid IS NULL OR e.vpid IS NULL THEN NULL ELSE e.sid = e.vpid END'),
  col(
    'proc.is_vpgid_leader',
    'bool',
    'true if it leads its process group (typed in a shell)',
    'CASE WHEN e.vpgid IS NULL OR e.vpid IS NULL THEN NULL ELSE e.vpgid = e.vpid END',
  ),
  col('proc.is_exe_writable', 'bool', 'executable writable by the user', 'e.exe_writable'),
  col('proc.is_exe_upper_layer', 'bool', 'executable in an overlayfs upper layer (dropped in the container)', 'e.exe_upper_layer'),
  col('proc.is_exe_lower_layer', 'bool', 'executable in an overlayfs lower layer', 'e.exe_lower_layer'),
  col('proc.is_exe_from_memfd', 'bool', 'executed from a memfd (fileless)', 'e.exe_from_memfd'),
  col('thread.cap_permitted', 'string', 'permitted capabilities (CAP_* names)', 'e.cap_permitted'),
  col('thread.cap_effective', 'string', 'effective capabilities (CAP_* names)', 'e.cap_effective'),
  col('thread.cap_inheritable', 'string', 'inheritable capabilities (CAP_* names)', 'e.cap_inheritable'),
  {
    name: 'proc.env',
    type: 'string',
    description: 'environment (KEY=VALUE, space-joined); proc.env[NAME] is one variable',
    arg: 'key',
    build: (_ctx, arg) => (arg === undefined ? plain('pedigree_env_list(e.env)') : sql`pedigree_env(e.env, ${String(arg)})`),
  },
  viaProcess('proc.pid.ts', 'abstime', 'process start (fork) time', 'start_ns'),
  {
    name: 'proc.duration',
    type: 'reltime',
    description: 'ns between the process start and this event',
    arg: 'none',
    build: (ctx) => plain(`e.ts_ns - ${ctx.process()}.start_ns`),
  },
  viaProcess('proc.exit_code', 'int', 'exit status of the process (pedigree)', 'exit_code'),
  // the parent and the ancestors
  viaParent('proc.pname', 'string', "parent's name", 'name'),
  viaParent('proc.pexe', 'string', "parent's argv[0]", 'exe'),
  viaParent('proc.pexepath', 'string', "parent's executable path", 'exepath'),
  viaParent('proc.pcmdline', 'string', "parent's command line", 'cmdline'),
  viaAncestor('proc.aname', 'string', 'name of the N-th ancestor (0 = self); bare: any ancestor', 'name'),
  viaAncestor('proc.apid', 'int', 'pid of the N-th ancestor; bare: any ancestor', 'pid'),
  viaAncestor('proc.aexe', 'string', 'argv[0] of the N-th ancestor; bare: any ancestor', 'exe'),
  viaAncestor('proc.aexepath', 'string', 'executable path of the N-th ancestor; bare: any ancestor', 'exepath'),
  viaAncestor('proc.acmdline', 'string', 'command line of the N-th ancestor; bare: any ancestor', 'cmdline'),
  viaAncestor('proc.aargs', 'string', 'arguments of the N-th ancestor; bare: any ancestor', 'args'),
  // user and group
  col('user.uid', 'int', 'user id', 'e.uid'),
  col('user.name', 'string', 'user name', 'e.user_name'),
  col('user.loginuid', 'int', 'audit login uid (-1 unset)', 'e.loginuid'),
  col('group.gid', 'int', 'group id', 'e.gid'),
  // container and Kubernetes
  col('container.id', 'string', "container short id, 'host' for host processes", "COALESCE(e.container_id, 'host')"),
  {
    name: 'container.name',
    type: 'string',
    description: "container name, 'host' for host processes",
    arg: 'none',
    build: (ctx) => plain(`CASE WHEN e.container_id IS NULL THEN 'host' ELSE ${ctx.container()}.name END`),
  },
  viaContainer('container.full_id', 'string', 'full 64-hex container id', 'full_id'),
  viaContainer('container.image', 'string', 'image reference (repository:tag)', 'image'),
  viaContainer('container.image.repository', 'string', 'image repository', 'image_repository'),
  viaContainer('container.image.tag', 'string', 'image tag', 'image_tag'),
  viaContainer('container.image.digest', 'string', 'image digest', 'image_digest'),
  viaContainer('container.image.id', 'string', 'image id', 'image_id'),
  viaContainer('container.type', 'string', 'runtime: docker, containerd, cri-o, podman, …', 'runtime'),
  viaContainer('container.privileged', 'bool', 'true for a privileged container', 'privileged'),
  viaContainer('container.host_pid', 'bool', 'true if it shares the host pid namespace', 'host_pid'),
  viaContainer('container.host_network', 'bool', 'true if it shares the host network', 'host_network'),
  viaContainer('k8s.pod.name', 'string', 'Kubernetes pod name', 'pod_name'),
  viaContainer('k8s.ns.name', 'string', 'Kubernetes namespace', 'pod_namespace'),
  viaContainer('k8s.pod.uid', 'string', 'Kubernetes pod uid', 'pod_uid'),
  viaContainer('k8s.pod.id', 'string', 'Kubernetes pod uid (legacy name)', 'pod_uid'),
  {
    name: 'container.label',
    type: 'string',
    description: 'container label container.label[KEY]',
    arg: 'key',
    argRequired: true,
    build: (ctx, arg) => sql`json_extract(${sql.raw(ctx.container())}.labels_json, ${jsonKeyPath(String(arg))})`,
  },
  {
    name: 'k8s.pod.label',
    type: 'string',
    description: 'pod label k8s.pod.label[KEY]',
    arg: 'key',
    argRequired: true,
    build: (ctx, arg) => sql`json_extract(${sql.raw(ctx.container())}.pod_labels_json, ${jsonKeyPath(String(arg))})`,
  },
  viaMount('container.mount.dest', 'destination', 'source', 'destination of the mount whose source matches [KEY] (or the KEY-th mount)'),
  viaMount('container.mount.source', 'source', 'destination', 'source of the mount whose destination matches [KEY] (or the KEY-th mount)'),
  viaMount('container.mount.mode', 'mode', 'source', 'mode of the mount whose source matches [KEY]'),
  viaMount('container.mount.rdwr', 'rw', 'source', "'true' if the mount whose source matches [KEY] is read-write"),
  viaMount('container.mount.propagation', 'propagation', 'source', 'propagation of the mount whose source matches [KEY]'),
];

/** `container.mount.dest[KEY]` and friends: KEY is a regex searched in the mount's other side (container plugin). */
function viaMount(name: string, want: string, matchOn: string, description: string): FalcoField {
  return {
    name,
    type: 'string',
    description,
    arg: 'key',
    argRequired: true,
    build: (ctx, arg) => sql`pedigree_mount(${sql.raw(ctx.container())}.mounts_json, ${want}, ${matchOn}, ${String(arg)})`,
    known: (ctx) => `${ctx.container()}.mounts_json IS NOT NULL`,
    coverage: 'no source in this case carried mounts',
  };
}

function jsonKeyPath(key: string): string {
  return `$."${key.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}

const BY_NAME = new Map(FIELDS.map((f) => [f.name, f]));

export function allFields(): readonly FalcoField[] {
  return FIELDS;
}

/** The field of the table with exactly this name (no aliases: see lookupField). */
export function findField(name: string): FalcoField | undefined {
  return BY_NAME.get(name);
}

export { ERRNO_NAMES };
