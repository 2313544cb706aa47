import type BetterSqlite3 from 'better-sqlite3';
import type { AlertEvent, ContainerEvent, HostInfoEvent, UserEvent } from '../events/lineage-event.js';
import { fullContainerId, normalizeContainerId } from '../linker/container-id.js';
import type { RowSink } from '../linker/linker.js';
import type { HostResolver } from './host-identity.js';
import type { ExecRow, ProcessRow } from '../linker/rows.js';
import {
  CAPTURE_CELL_EXEC,
  CAPTURE_CELL_PROCESS,
  DERIVED_HAS_EXTRAS,
  EXEC_CONTAINER_CELL,
  EXEC_DERIVED_CELL,
  EXEC_EXTRA_COLUMNS,
  EXEC_EXTRA_WIDTH,
  EXEC_HOST_CELL,
  EXEC_ROW_COLUMNS,
  EXEC_ROW_WIDTH,
  EXEC_STRING_CELLS,
  EXEC_WIDTH,
  PROCESS_COLUMNS,
  PROCESS_HOST_CELL,
  PROCESS_WIDTH,
  putExecCells,
  putProcessCells,
  type Cell,
} from './row-cells.js';
import type { ResolvedRowSink } from './packed-rows.js';
import type { RowTarget } from './row-target.js';
import { StringIds } from './string-ids.js';
import { alertKey } from '../db/alert-key.js';
import { LAST_ALERT_ID_SQL, SAME_ALERT_SQL } from './same-alert-sql.js';

/** Rows written for one host. */
export interface HostRowCounts {
  processes: number;
  execs: number;
}

/**
 * Rows per multi-row INSERT: measured fastest on this kind of machine (sqlite-performance.md).
 * Their cells are bound as arguments, not as one array: better-sqlite3 reads an array's elements
 * through V8's generic property lookup (300k rows of 31 cells: 0.72 s of CPU against 0.49 s).
 */
const ROWS_PER_STATEMENT = 50;

/**
 * OR FAIL: a multi-row INSERT that may abort (the row ids are given, so they are checked) makes
 * SQLite keep a statement journal, a copy of every page the statement changes that existed
 * before it, to undo its own earlier rows; spilled to a temporary file, that was 2.4 GB of
 * writes at 300k JSON-lines execs (a page or more per 50 rows). A failed INSERT fails the whole
 * import, which rolls back its transaction, so nothing needs undoing per statement.
 */
function insertSql(table: string, columns: readonly string[], rows: number): string {
  const one = `(${columns.map(() => '?').join(',')})`;
  return `INSERT OR FAIL INTO ${table} (${columns.join(',')}) VALUES ${Array(rows).fill(one).join(',')}`;
}

/**
 * Writes the linker's rows into one capture's share of the case database with cached prepared
 * statements and positional binding, buffering rows into multi-row INSERTs. It runs inside the
 * importer's transaction and never commits on its own.
 */
export class RowWriter implements RowSink, ResolvedRowSink {
  private readonly execOne: BetterSqlite3.Statement;
  private readonly execMany: BetterSqlite3.Statement;
  private readonly extraOne: BetterSqlite3.Statement;
  private readonly extraMany: BetterSqlite3.Statement;
  private readonly procOne: BetterSqlite3.Statement;
  private readonly procMany: BetterSqlite3.Statement;
  private readonly upsertContainer: BetterSqlite3.Statement;
  private readonly insertUser: BetterSqlite3.Statement;
  private readonly insertAlert: BetterSqlite3.Statement;
  private readonly hostIds = new Map<string, number>();
  private readonly strings: StringIds;
  /** One row's cells as putExecCells (or putProcessCells) lays them out, before they are buffered. */
  private readonly staged: Cell[] = new Array<Cell>(EXEC_WIDTH).fill(null);
  private readonly execBuf: Cell[] = new Array<Cell>(EXEC_ROW_WIDTH * ROWS_PER_STATEMENT).fill(null);
  private execBufRows = 0;
  private readonly extraBuf: Cell[] = new Array<Cell>((EXEC_EXTRA_WIDTH + 1) * ROWS_PER_STATEMENT).fill(null);
  private extraBufRows = 0;
  private readonly procBuf: Cell[] = new Array<Cell>(PROCESS_WIDTH * ROWS_PER_STATEMENT).fill(null);
  private procBufRows = 0;
  readonly firstHost: { name: string | null } = { name: null };
  /** Rows written per host id (capture_hosts). */
  readonly rowsPerHost = new Map<number, HostRowCounts>();
  /** Containers the exec rows named, so those without metadata still get a row. */
  readonly containerIds = new Set<string>();
  /**
   * Where exec and process rows go instead of exec_rows, exec_extras and processes (set before the
   * first row). String cells then stay strings: the worker's strings are numbered in `values`.
   */
  private target: RowTarget | null = null;
  private values: string[] = [];

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly captureId: number,
    private readonly origin: string,
    private readonly importNs: bigint,
  ) {
    this.strings = new StringIds(db);
    this.execOne = db.prepare(insertSql('exec_rows', EXEC_ROW_COLUMNS, 1));
    this.execMany = db.prepare(insertSql('exec_rows', EXEC_ROW_COLUMNS, ROWS_PER_STATEMENT));
    const extraColumns = ['exec_id', ...EXEC_EXTRA_COLUMNS];
    this.extraOne = db.prepare(insertSql('exec_extras', extraColumns, 1));
    this.extraMany = db.prepare(insertSql('exec_extras', extraColumns, ROWS_PER_STATEMENT));
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
    this.insertUser = db.prepare('INSERT INTO users (capture_id, uid, name, gid, home, shell, container_id) VALUES (?,?,?,?,?,?,?)');
    this.insertAlert = db.prepare(`INSERT INTO alerts (exec_id, rule, priority, time_ns, output,
        output_fields_json, tags_json, source, origin, capture_id, run_ns, host_id, output_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  }

  hostId(name: string): number {
    let id = this.hostIds.get(name);
    if (id === undefined) {
      id = this.hosts ? this.hosts.resolve(name) : this.plainHostId(name);
      this.hostIds.set(name, id);
      if (this.firstHost.name === null) this.firstHost.name = name;
    }
    return id;
  }

  private sameAlert: BetterSqlite3.Statement | undefined;
  /** Alerts of this capture not stored because an earlier capture holds the same: how many, by that capture. */
  readonly alertsHeld = new Map<number, number>();
  /** The highest alert_id before this capture wrote any: the same-alert check looks no further. */
  private lastAlertBefore: number | bigint | undefined;
  private insertAlertLink: BetterSqlite3.Statement | undefined;

  /** Which host a name means, machine by machine (set by the importer). */
  hosts: HostResolver | null = null;

  private plainHostId(name: string): number {
    const row = this.db.prepare('SELECT host_id FROM hosts WHERE hostname = ? ORDER BY host_id DESC').get(name) as { host_id: bigint } | undefined;
    return row ? Number(row.host_id) : Number(this.db.prepare('INSERT INTO hosts (hostname) VALUES (?)').run(name).lastInsertRowid);
  }

  /** Sends exec and process rows to `target` instead of the case's tables. */
  sendRowsTo(target: RowTarget): void {
    this.target = target;
    target.begin();
  }

  /** A promise while the row target wants reading to wait, else null. */
  drained(): Promise<void> | null {
    return this.target === null ? null : this.target.drained();
  }

  /** The id of a string in the case's `strings` table, stored there if new (with a row target: its number in `values`). */
  stringId(value: string): number {
    if (this.target !== null) return this.values.push(value) - 1;
    return this.strings.id(value);
  }

  /** The import worker numbers its strings from 0 again: so do `values`. */
  forgetStrings(): void {
    this.values = [];
  }

  exec(r: ExecRow): void {
    putExecCells(r, this.staged, 0);
    this.writeStaged();
  }

  /** Replaces the staged exec's host name and strings by their ids, then buffers it. */
  private writeStaged(): void {
    const c = this.staged;
    c[EXEC_HOST_CELL] = this.hostId(c[EXEC_HOST_CELL] as string);
    const container = c[EXEC_CONTAINER_CELL];
    if (typeof container === 'string') this.containerIds.add(container);
    if (this.target !== null) {
      this.execToTarget(c, this.target);
      return;
    }
    for (const k of EXEC_STRING_CELLS) {
      const v = c[k];
      if (typeof v === 'string') c[k] = this.strings.id(v);
    }
    this.execResolved(c);
  }

  /**
   * An exec laid out by putExecCells whose host and string cells already hold ids (rows packed
   * by the import worker), split between exec_rows and exec_extras.
   */
  execResolved(c: Cell[]): void {
    if (this.target !== null) {
      const hasExtras = ((c[EXEC_DERIVED_CELL] as number) & DERIVED_HAS_EXTRAS) !== 0;
      for (const k of EXEC_STRING_CELLS) {
        if (k >= EXEC_ROW_WIDTH && !hasExtras) break;
        const v = c[k];
        if (typeof v === 'number') c[k] = this.values[v] as string;
      }
      this.execToTarget(c, this.target);
      return;
    }
    c[CAPTURE_CELL_EXEC] = this.captureId;
    this.counts(c[EXEC_HOST_CELL] as number).execs += 1;
    const i = this.execBufRows * EXEC_ROW_WIDTH;
    for (let k = 0; k < EXEC_ROW_WIDTH; k++) this.execBuf[i + k] = c[k] as Cell;
    if (((c[EXEC_DERIVED_CELL] as number) & DERIVED_HAS_EXTRAS) !== 0) {
      const x = this.extraBufRows * (EXEC_EXTRA_WIDTH + 1);
      this.extraBuf[x] = c[0] as Cell;
      for (let k = 0; k < EXEC_EXTRA_WIDTH; k++) this.extraBuf[x + 1 + k] = c[EXEC_ROW_WIDTH + k] as Cell;
      if (++this.extraBufRows === ROWS_PER_STATEMENT) {
        this.extraMany.run(...this.extraBuf);
        this.extraBufRows = 0;
      }
    }
    if (++this.execBufRows === ROWS_PER_STATEMENT) {
      this.execMany.run(...this.execBuf);
      this.execBufRows = 0;
    }
  }

  private execToTarget(c: Cell[], target: RowTarget): void {
    c[CAPTURE_CELL_EXEC] = this.captureId;
    this.counts(c[EXEC_HOST_CELL] as number).execs += 1;
    target.exec(c);
  }

  process(r: ProcessRow): void {
    putProcessCells(r, this.staged, 0);
    this.staged[PROCESS_HOST_CELL] = this.hostId(r.host);
    this.processResolved(this.staged);
  }

  /** A process row laid out by putProcessCells whose host cell already holds its id. */
  processResolved(cells: Cell[]): void {
    if (this.target !== null) {
      cells[CAPTURE_CELL_PROCESS] = this.captureId;
      this.counts(cells[PROCESS_HOST_CELL] as number).processes += 1;
      this.target.process(cells);
      return;
    }
    const i = this.procBufRows * PROCESS_WIDTH;
    for (let k = 0; k < PROCESS_WIDTH; k++) this.procBuf[i + k] = cells[k] as Cell;
    this.procBuf[i + CAPTURE_CELL_PROCESS] = this.captureId;
    this.counts(cells[PROCESS_HOST_CELL] as number).processes += 1;
    if (++this.procBufRows === ROWS_PER_STATEMENT) {
      this.procMany.run(...this.procBuf);
      this.procBufRows = 0;
    }
  }

  private counts(hostId: number): HostRowCounts {
    let n = this.rowsPerHost.get(hostId);
    if (n === undefined) {
      n = { processes: 0, execs: 0 };
      this.rowsPerHost.set(hostId, n);
    }
    return n;
  }

  container(ev: ContainerEvent): void {
    const id = normalizeContainerId(ev.id);
    if (id === null) return;
    const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
    const boolOrNull = (v: boolean | undefined): number | null => (v === undefined ? null : v ? 1 : 0);
    this.upsertContainer.run(
      id,
      ev.fullId ?? fullContainerId(ev.id) ?? null,
      ev.name ?? null,
      ev.image ?? null,
      ev.imageRepository ?? null,
      ev.imageTag ?? null,
      ev.imageDigest ?? null,
      ev.imageId ?? null,
      ev.runtime ?? null,
      boolOrNull(ev.privileged),
      boolOrNull(ev.hostPid),
      boolOrNull(ev.hostNetwork),
      ev.podName ?? null,
      ev.podNamespace ?? null,
      ev.podUid ?? null,
      json(ev.labels),
      json(ev.podLabels),
      json(ev.mounts),
      ev.source ?? this.origin,
      this.captureId,
    );
  }

  user(ev: UserEvent): void {
    this.insertUser.run(this.captureId, ev.uid, ev.name, ev.gid ?? null, ev.home ?? null, ev.shell ?? null, normalizeContainerId(ev.containerId));
  }

  hostInfo(ev: HostInfoEvent): void {
    if (ev.bootTs !== undefined) this.hosts?.noteBoot(ev.host, ev.bootTs);
    const id = this.hostId(ev.host);
    this.db
      .prepare(`UPDATE hosts SET boot_id = COALESCE(boot_id, ?), boot_ns = COALESCE(boot_ns, ?),
        cpus = COALESCE(?, cpus), memory_bytes = COALESCE(?, memory_bytes) WHERE host_id = ?`)
      .run(ev.bootId ?? null, ev.bootTs ?? null, ev.cpus ?? null, ev.memoryBytes ?? null, id);
  }

  alert(ev: AlertEvent, execId: number | null): void {
    const hostId = this.hostId(ev.host);
    // The same alert another capture already brought (an overlapping export) is not stored twice.
    this.sameAlert ??= this.db.prepare(SAME_ALERT_SQL).pluck();
    this.lastAlertBefore ??= this.db.prepare(LAST_ALERT_ID_SQL).pluck().get() as number | bigint;
    const key = alertKey(ev.rule, ev.output);
    const time = ev.ts === 0n ? null : ev.ts;
    const heldBy = this.sameAlert.get(hostId, time, key, this.lastAlertBefore, ev.rule, ev.output, this.captureId) as number | bigint | undefined;
    if (heldBy !== undefined) {
      const by = Number(heldBy);
      this.alertsHeld.set(by, (this.alertsHeld.get(by) ?? 0) + 1);
      return;
    }
    const alertId = this.insertAlert.run(
      execId,
      ev.rule,
      ev.priority,
      time,
      ev.output,
      ev.fields ? JSON.stringify(ev.fields) : null,
      ev.tags ? JSON.stringify(ev.tags) : null,
      ev.source ?? 'syscall',
      this.origin,
      this.captureId,
      this.importNs,
      hostId,
      key,
    ).lastInsertRowid;
    this.insertAlertLink ??= this.db.prepare('INSERT INTO alert_links (alert_id, host_id, container_id) VALUES (?, ?, ?)');
    this.insertAlertLink.run(alertId, hostId, normalizeContainerId(ev.containerId));
  }

  /** Writes buffered rows; call before reading the tables back. */
  flush(): void {
    for (let i = 0; i < this.execBufRows; i++) {
      this.execOne.run(this.execBuf.slice(i * EXEC_ROW_WIDTH, (i + 1) * EXEC_ROW_WIDTH));
    }
    this.execBufRows = 0;
    const extraWidth = EXEC_EXTRA_WIDTH + 1;
    for (let i = 0; i < this.extraBufRows; i++) {
      this.extraOne.run(this.extraBuf.slice(i * extraWidth, (i + 1) * extraWidth));
    }
    this.extraBufRows = 0;
    for (let i = 0; i < this.procBufRows; i++) {
      this.procOne.run(this.procBuf.slice(i * PROCESS_WIDTH, (i + 1) * PROCESS_WIDTH));
    }
    this.procBufRows = 0;
  }
}
