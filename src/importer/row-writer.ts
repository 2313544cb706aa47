import type BetterSqlite3 from 'better-sqlite3';
import type { AlertEvent, ContainerEvent, HostInfoEvent, UserEvent } from '../events/lineage-event.js';
import { fullContainerId, normalizeContainerId } from '../linker/container-id.js';
import type { RowSink } from '../linker/linker.js';
import type { ExecRow, ProcessRow } from '../linker/rows.js';

const EXEC_COLUMNS = [
  'exec_id', 'process_id', 'capture_id', 'host_id', 'kind', 'parent_exec_id', 'prev_exec_id', 'ts_ns',
  'pid', 'tid', 'vpid', 'ppid', 'name', 'exe', 'exepath', 'args', 'argv_json', 'cmdline', 'cwd',
  'uid', 'gid', 'euid', 'loginuid', 'user_name', 'tty', 'sid', 'pgid', 'vpgid', 'env', 'cgroups',
  'container_id', 'exe_writable', 'exe_upper_layer', 'exe_lower_layer', 'exe_from_memfd',
  'cap_permitted', 'cap_effective', 'cap_inheritable', 'res', 'attempt_exe', 'evt_num', 'evt_type',
  'source_line', 'source_offset',
] as const;

const PROCESS_COLUMNS = [
  'process_id', 'capture_id', 'host_id', 'pid', 'vpid', 'ppid', 'parent_process_id', 'start_ns',
  'end_ns', 'exit_code', 'exit_signal', 'exit_core', 'container_id', 'origin', 'thread_count',
  'first_exec_id', 'last_exec_id',
] as const;

/** Rows per multi-row INSERT: measured fastest on this kind of machine (sqlite-performance.md). */
const ROWS_PER_STATEMENT = 50;

type Cell = string | number | bigint | null;

function insertSql(table: string, columns: readonly string[], rows: number): string {
  const one = `(${columns.map(() => '?').join(',')})`;
  return `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array(rows).fill(one).join(',')}`;
}

const bool = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);
const joinNul = (v: string[] | null): string | null => (v === null ? null : v.join('\0'));

/**
 * Writes the linker's rows into one capture's share of the case database with cached prepared
 * statements and positional binding, buffering rows into multi-row INSERTs. It runs inside the
 * importer's transaction and never commits on its own.
 */
export class RowWriter implements RowSink {
  private readonly execOne: BetterSqlite3.Statement;
  private readonly execMany: BetterSqlite3.Statement;
  private readonly procOne: BetterSqlite3.Statement;
  private readonly procMany: BetterSqlite3.Statement;
  private readonly upsertContainer: BetterSqlite3.Statement;
  private readonly insertUser: BetterSqlite3.Statement;
  private readonly insertAlert: BetterSqlite3.Statement;
  private readonly hostIds = new Map<string, number>();
  private execBuf: Cell[] = [];
  private execBufRows = 0;
  private procBuf: Cell[] = [];
  private procBufRows = 0;
  readonly firstHost: { name: string | null } = { name: null };

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly captureId: number,
    private readonly origin: string,
    private readonly importNs: bigint,
  ) {
    this.execOne = db.prepare(insertSql('execs', EXEC_COLUMNS, 1));
    this.execMany = db.prepare(insertSql('execs', EXEC_COLUMNS, ROWS_PER_STATEMENT));
    this.procOne = db.prepare(insertSql('processes', PROCESS_COLUMNS, 1));
    this.procMany = db.prepare(insertSql('processes', PROCESS_COLUMNS, ROWS_PER_STATEMENT));
    this.upsertContainer = db.prepare(`INSERT INTO containers (
        container_id, full_id, name, image, image_repository, image_tag, image_digest, image_id, runtime,
        privileged, host_pid, host_network, pod_name, pod_namespace, pod_uid, labels_json, pod_labels_json,
        mounts_json, metadata_source, first_capture_id)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
      ON CONFLICT(container_id) DO UPDATE SET
        full_id = COALESCE(excluded.full_id, full_id), name = COALESCE(excluded.name, name),
        image = COALESCE(excluded.image, image), image_repository = COALESCE(excluded.image_repository, image_repository),
        image_tag = COALESCE(excluded.image_tag, image_tag), image_digest = COALESCE(excluded.image_digest, image_digest),
        image_id = COALESCE(excluded.image_id, image_id), runtime = COALESCE(excluded.runtime, runtime),
        privileged = COALESCE(excluded.privileged, privileged), host_pid = COALESCE(excluded.host_pid, host_pid),
        host_network = COALESCE(excluded.host_network, host_network), pod_name = COALESCE(excluded.pod_name, pod_name),
        pod_namespace = COALESCE(excluded.pod_namespace, pod_namespace), pod_uid = COALESCE(excluded.pod_uid, pod_uid),
        labels_json = COALESCE(excluded.labels_json, labels_json), pod_labels_json = COALESCE(excluded.pod_labels_json, pod_labels_json),
        mounts_json = COALESCE(excluded.mounts_json, mounts_json),
        metadata_source = CASE WHEN metadata_source = 'cgroups only' THEN excluded.metadata_source ELSE metadata_source END`);
    this.insertUser = db.prepare(
      'INSERT INTO users (capture_id, uid, name, gid, home, shell, container_id) VALUES (?,?,?,?,?,?,?)',
    );
    this.insertAlert = db.prepare(`INSERT INTO alerts (exec_id, rule, priority, time_ns, output,
        output_fields_json, tags_json, source, origin, capture_id, run_ns) VALUES (?,?,?,?,?,?,?,?,?,?,?)`);
  }

  hostId(name: string): number {
    let id = this.hostIds.get(name);
    if (id === undefined) {
      this.db.prepare('INSERT OR IGNORE INTO hosts (hostname) VALUES (?)').run(name);
      const row = this.db.prepare('SELECT host_id FROM hosts WHERE hostname = ?').get(name) as { host_id: bigint };
      id = Number(row.host_id);
      this.hostIds.set(name, id);
      if (this.firstHost.name === null) this.firstHost.name = name;
    }
    return id;
  }

  exec(r: ExecRow): void {
    const b = this.execBuf;
    b.push(
      r.execId, r.processId, this.captureId, this.hostId(r.host), r.kind, r.parentExecId, r.prevExecId, r.ts,
      r.pid, r.tid, r.vpid, r.ppid, r.name, r.exe, r.exepath, r.args, r.argv === null ? null : JSON.stringify(r.argv),
      r.cmdline, r.cwd, r.uid, r.gid, r.euid, r.loginuid, r.user, r.tty, r.sid, r.pgid, r.vpgid,
      joinNul(r.env), joinNul(r.cgroups), r.containerId, bool(r.exeWritable), bool(r.exeUpperLayer),
      bool(r.exeLowerLayer), bool(r.exeFromMemfd), r.capPermitted, r.capEffective, r.capInheritable, r.res,
      r.attemptExe, r.evtNum, r.evtType, r.line, r.offset,
    );
    if (++this.execBufRows === ROWS_PER_STATEMENT) {
      this.execMany.run(b);
      this.execBuf = [];
      this.execBufRows = 0;
    }
  }

  process(r: ProcessRow): void {
    const b = this.procBuf;
    b.push(
      r.processId, this.captureId, this.hostId(r.host), r.pid, r.vpid, r.ppid, r.parentProcessId, r.startNs,
      r.endNs, r.exitCode, r.exitSignal, bool(r.exitCore), r.containerId, r.origin, r.threadCount,
      r.firstExecId, r.lastExecId,
    );
    if (++this.procBufRows === ROWS_PER_STATEMENT) {
      this.procMany.run(b);
      this.procBuf = [];
      this.procBufRows = 0;
    }
  }

  container(ev: ContainerEvent): void {
    const id = normalizeContainerId(ev.id);
    if (id === null) return;
    const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
    const boolOrNull = (v: boolean | undefined): number | null => (v === undefined ? null : v ? 1 : 0);
    this.upsertContainer.run(
      id, ev.fullId ?? fullContainerId(ev.id) ?? null, ev.name ?? null, ev.image ?? null,
      ev.imageRepository ?? null, ev.imageTag ?? null, ev.imageDigest ?? null, ev.imageId ?? null,
      ev.runtime ?? null, boolOrNull(ev.privileged), boolOrNull(ev.hostPid), boolOrNull(ev.hostNetwork),
      ev.podName ?? null, ev.podNamespace ?? null, ev.podUid ?? null, json(ev.labels), json(ev.podLabels),
      json(ev.mounts), ev.source ?? this.origin, this.captureId,
    );
  }

  user(ev: UserEvent): void {
    this.insertUser.run(
      this.captureId, ev.uid, ev.name, ev.gid ?? null, ev.home ?? null, ev.shell ?? null,
      normalizeContainerId(ev.containerId),
    );
  }

  hostInfo(ev: HostInfoEvent): void {
    const id = this.hostId(ev.host);
    this.db
      .prepare(`UPDATE hosts SET boot_id = COALESCE(?, boot_id), boot_ns = COALESCE(?, boot_ns),
        cpus = COALESCE(?, cpus), memory_bytes = COALESCE(?, memory_bytes) WHERE host_id = ?`)
      .run(ev.bootId ?? null, ev.bootTs ?? null, ev.cpus ?? null, ev.memoryBytes ?? null, id);
  }

  alert(ev: AlertEvent, execId: number | null): void {
    this.hostId(ev.host);
    this.insertAlert.run(
      execId, ev.rule, ev.priority, ev.ts === 0n ? null : ev.ts, ev.output,
      ev.fields ? JSON.stringify(ev.fields) : null, ev.tags ? JSON.stringify(ev.tags) : null,
      ev.source ?? 'syscall', this.origin, this.captureId, this.importNs,
    );
  }

  /** Writes buffered rows; call before reading the tables back. */
  flush(): void {
    for (let i = 0; i < this.execBufRows; i++) {
      this.execOne.run(this.execBuf.slice(i * EXEC_COLUMNS.length, (i + 1) * EXEC_COLUMNS.length));
    }
    this.execBuf = [];
    this.execBufRows = 0;
    for (let i = 0; i < this.procBufRows; i++) {
      this.procOne.run(this.procBuf.slice(i * PROCESS_COLUMNS.length, (i + 1) * PROCESS_COLUMNS.length));
    }
    this.procBuf = [];
    this.procBufRows = 0;
  }
}
