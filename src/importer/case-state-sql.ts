import type BetterSqlite3 from 'better-sqlite3';
import type { ImportWarning } from '../capture/reader.js';
import type { ExecEvent } from '../events/lineage-event.js';
import type { CaseSink, CaseState, KnownProcess } from '../linker/case-state.js';
import { commFromPath } from '../linker/image.js';
import type { ExecRow, ProcessOrigin, ProcessRow } from '../linker/rows.js';
import { toleranceNs } from './merge-precision.js';
import type { HostResolver } from './host-identity.js';
import { fillMissingFrom, IMAGE_COLUMNS } from './image-columns.js';

/** The widest time window any pair of formats needs; rows are fetched by it, then filtered exactly. */
const WINDOW_NS = 2_000_000_000n;

/**
 * How long after its capture ended a process whose exit nobody saw is still taken to be the one
 * a later event names (without a start time that says so): an hour.
 */
const UNSEEN_HORIZON_NS = 3_600_000_000_000n;

type Raw = Record<string, unknown>;

/** What a fork image copies from its parent's image when it was only a placeholder before. */
/**
 * What a repeated sighting of an exec fills in where the earlier row has nothing: its image but
 * the name (which matched) and argv (kept with args), and the ids a source may lack.
 */
const FILL_COLUMNS = [...IMAGE_COLUMNS.filter((c) => c !== 'name' && c !== 'argv_json'), 'vpid', 'ppid', 'container_id'];

const FORK_IMAGE_COLUMNS = [...IMAGE_COLUMNS, 'container_id'];

/** Whole exec rows SqlCaseState keeps between look-ups (execRow). */
const ROWS_KEPT = 8;

/**
 * The case as the linker sees it while it links one capture: processes and images of earlier
 * captures, found by host, pid and time (docs/lineage.md, "Merging"), and the writes that
 * extend them. Rows of the capture being imported, and of captures it may repeat, are not
 * looked at.
 */
export class SqlCaseState implements CaseState, CaseSink {
  private readonly hostIds = new Map<string, number | null>();
  private readonly stmts: Record<string, BetterSqlite3.Statement>;
  private readonly exclude: string;
  private readonly rows = new Map<number, Raw>();
  /** Processes of earlier captures this capture extended; their first/last image is recomputed at the end. */
  readonly touched = new Set<number>();
  conflicts = 0;

  constructor(
    db: BetterSqlite3.Database,
    private readonly captureId: number,
    private readonly format: string,
    excludeCaptures: number[],
    private readonly flushRows: () => void,
    private readonly warn: (w: ImportWarning) => void,
    private readonly file: string,
    private readonly hosts: HostResolver,
  ) {
    this.exclude = [captureId, ...excludeCaptures].map((n) => Math.trunc(n)).join(',');
    const q = (sql: string): BetterSqlite3.Statement => db.prepare(sql);
    const procCols = `p.process_id, p.pid, p.vpid, p.ppid, p.start_ns, p.end_ns, p.container_id, p.origin, p.parent_process_id, c.format,
                      c.last_event_ns AS capture_end_ns`;
    this.stmts = {
      fork: q(`SELECT ${procCols} FROM processes p JOIN captures c USING (capture_id)
               WHERE p.host_id = ? AND p.pid = ? AND p.capture_id NOT IN (${this.exclude}) AND p.start_ns BETWEEN ? AND ?`),
      alive: q(`SELECT ${procCols} FROM processes p JOIN captures c USING (capture_id)
                WHERE p.host_id = ? AND p.pid = ? AND p.capture_id NOT IN (${this.exclude})
                  AND (p.start_ns IS NULL OR p.start_ns <= ?) AND (p.end_ns IS NULL OR p.end_ns >= ?)
                ORDER BY p.start_ns DESC`),
      imageIdAt: q(`SELECT exec_id FROM exec_rows WHERE process_id = ? AND capture_id NOT IN (${this.exclude})
                      AND (kind <> 0 OR res = 0) AND (ts_ns IS NULL OR ts_ns <= ?)
                    ORDER BY ts_ns IS NULL, ts_ns DESC, exec_id DESC LIMIT 1`),
      nextImage: q(`SELECT exec_id FROM execs WHERE process_id = ? AND capture_id NOT IN (${this.exclude})
                      AND (kind <> 'exec' OR res = 0) AND ts_ns > ? ORDER BY ts_ns, exec_id LIMIT 1`),
      // The columns that choose the row; the whole row comes from execRow (read once).
      sameExec: q(`SELECT e.exec_id, e.ts_ns, e.name, e.exepath, e.attempt_exe, c.format AS capture_format FROM execs e JOIN captures c USING (capture_id)
                   WHERE e.process_id = ? AND e.capture_id NOT IN (${this.exclude}) AND e.kind = 'exec' AND e.res = ?
                     AND e.ts_ns BETWEEN ? AND ?`),
      execById: q('SELECT * FROM execs WHERE exec_id = ?'),
      forkRefs: q(`SELECT (SELECT count(*) FROM execs WHERE parent_exec_id = :id OR prev_exec_id = :id)
                        + (SELECT count(*) FROM alerts WHERE exec_id = :id) AS n, kind, capture_id, host_id FROM execs WHERE exec_id = :id`),
      dropExec: q('DELETE FROM execs WHERE exec_id = ?'),
      uncount: q('UPDATE captures SET exec_count = exec_count - 1 WHERE capture_id = ?'),
      uncountHost: q('UPDATE capture_hosts SET exec_count = exec_count - 1 WHERE capture_id = ? AND host_id = ?'),
      source: q(`INSERT INTO exec_sources (exec_id, capture_id, ts_ns, source_line, source_offset, evt_num, ppid, cmdline, exepath, conflict, host_id)
                 VALUES (?,?,?,?,?,?,?,?,?,?,?)`),
      fill: q(`UPDATE execs SET ${FILL_COLUMNS.map((c) => `${c} = COALESCE(${c}, :${c})`).join(', ')} WHERE exec_id = :id`),
      proc: q(`UPDATE processes SET end_ns = COALESCE(end_ns, :end), exit_code = COALESCE(exit_code, :code),
                 exit_signal = COALESCE(exit_signal, :signal), exit_core = COALESCE(exit_core, :core), vpid = COALESCE(vpid, :vpid),
                 container_id = COALESCE(container_id, :container), thread_count = max(thread_count, :threads),
                 parent_process_id = COALESCE(parent_process_id, :parent)
               WHERE process_id = :id`),
      procExit: q('SELECT exit_code, exit_signal FROM processes WHERE process_id = ?'),
      relink: q('UPDATE execs SET prev_exec_id = ? WHERE exec_id = ?'),
      parentOf: q(`SELECT p.parent_process_id, pp.origin, pp.pid FROM processes p LEFT JOIN processes pp ON pp.process_id = p.parent_process_id
                   WHERE p.process_id = ?`),
      adopt: q(`UPDATE processes SET parent_process_id = :parent, ppid = COALESCE(ppid, :ppid),
                  origin = CASE WHEN :fork IS NOT NULL AND origin = 'inferred' THEN 'fork' ELSE origin END,
                  start_ns = CASE WHEN :fork IS NOT NULL AND (start_ns IS NULL OR start_ns > :fork) THEN :fork ELSE start_ns END
                WHERE process_id = :id`),
      adoptImages: q(`UPDATE execs SET parent_exec_id = :parentExec
                      WHERE process_id = :id AND (parent_exec_id IS NULL OR parent_exec_id IN
                        (SELECT exec_id FROM execs WHERE process_id = :old AND kind = 'inferred'))`),
      firstImage: q(`SELECT exec_id, kind, capture_id, host_id,
                       (SELECT count(*) FROM execs c WHERE c.parent_exec_id = e.exec_id)
                       + (SELECT count(*) FROM alerts a WHERE a.exec_id = e.exec_id)
                       + (SELECT count(*) FROM execs n WHERE n.prev_exec_id = e.exec_id AND NOT (n.kind = 'exec' AND n.res = 0)) AS refs
                     FROM execs e WHERE process_id = ? ORDER BY ts_ns IS NOT NULL, ts_ns, exec_id LIMIT 1`),
      unlinkPrev: q('UPDATE execs SET prev_exec_id = NULL WHERE prev_exec_id = ?'),
      toFork: q(`UPDATE execs SET kind = 'fork', ${fillMissingFrom(FORK_IMAGE_COLUMNS, 'from')}
                 WHERE exec_id = :id`),
      bounds: q(`UPDATE processes SET
          first_exec_id = (SELECT exec_id FROM execs WHERE process_id = :p ORDER BY ts_ns IS NOT NULL, ts_ns, exec_id LIMIT 1),
          last_exec_id = (SELECT exec_id FROM execs WHERE process_id = :p AND (kind <> 'exec' OR res = 0)
                          ORDER BY ts_ns IS NULL, ts_ns DESC, exec_id DESC LIMIT 1)
        WHERE process_id = :p`),
    };
  }

  processAt(host: string, pid: number, ts: bigint, how: { startTs?: bigint; fork?: boolean }): KnownProcess | undefined {
    const hostId = this.hostId(host);
    if (hostId === null || ts <= 0n) return undefined;
    if (how.fork) {
      const rows = this.stmts.fork!.all(hostId, pid, ts - WINDOW_NS, ts + WINDOW_NS) as Raw[];
      const fits = rows
        .map((r) => ({ r, d: abs((r.start_ns as bigint) - ts) }))
        .filter(({ r, d }) => d <= toleranceNs(this.format, String(r.format)))
        .sort((a, b) => (a.d < b.d ? -1 : a.d > b.d ? 1 : 0));
      return fits[0] ? this.known(fits[0].r, ts) : undefined;
    }
    const rows = this.stmts.alive!.all(hostId, pid, ts + WINDOW_NS, ts - WINDOW_NS) as Raw[];
    for (const r of rows) {
      const tol = toleranceNs(this.format, String(r.format));
      const start = r.start_ns as bigint | null;
      const end = r.end_ns as bigint | null;
      if (start !== null && start > ts + tol) continue;
      if (end !== null && end < ts - tol) continue;
      if (how.startTs !== undefined && start !== null) {
        // A start time says which lifetime: the same one, or a row first seen after it began.
        if (abs(start - how.startTs) <= tol) return this.known(r, ts);
        if (!(r.origin !== 'fork' && start >= how.startTs - tol)) continue;
      }
      // A process still running when its capture ended is not assumed to live on for ever.
      const captureEnd = r.capture_end_ns as bigint | null;
      if (end === null && captureEnd !== null && ts > captureEnd + UNSEEN_HORIZON_NS) continue;
      return this.known(r, ts);
    }
    return undefined;
  }

  imageAt(processId: number, ts: bigint): { image: ExecRow | null; nextExecId: number | null } {
    const id = this.stmts.imageIdAt!.get(processId, ts) as { exec_id: bigint | number } | undefined;
    const row = id === undefined ? undefined : this.execRow(id.exec_id);
    const next = this.stmts.nextImage!.get(processId, ts) as { exec_id: bigint } | undefined;
    return { image: row ? execRowFromDb(row) : null, nextExecId: next ? Number(next.exec_id) : null };
  }

  sameExec(processId: number, ev: ExecEvent): ExecRow | undefined {
    if (ev.ts <= 0n) return undefined;
    const name = ev.comm ?? commFromPath(ev.exepath ?? ev.exe);
    const exepath = ev.exepath ?? (ev.exe?.startsWith('/') ? ev.exe : undefined);
    const res = ev.ok ? 0 : -(ev.errno ?? 1);
    let best: { row: Raw; d: bigint } | undefined;
    for (const r of this.stmts.sameExec!.all(processId, res, ev.ts - WINDOW_NS, ev.ts + WINDOW_NS) as Raw[]) {
      const d = abs((r.ts_ns as bigint) - ev.ts);
      if (d > toleranceNs(this.format, String(r.capture_format))) continue;
      if (!ev.ok) {
        // A failed exec keeps the old image; the program it tried is what identifies it.
        if ((r.attempt_exe ?? null) !== (ev.exepath ?? ev.exe ?? null)) continue;
      } else if (!sameProgram({ name: name ?? null, exepath: exepath ?? null }, { name: r.name as string | null, exepath: r.exepath as string | null }))
        continue;
      if (!best || d < best.d) best = { row: r, d };
    }
    return best ? execRowFromDb(this.execRow(best.row.exec_id as bigint | number) as Raw) : undefined;
  }

  /**
   * An earlier exec's whole row. The look-ups one event makes (the process resumed, the same
   * exec, its sighting recorded) read the same row, and a row of the execs view costs ~20 µs:
   * the last few are kept, and any write here empties them.
   */
  /** Before a write to earlier rows: this capture's buffered rows go in, the kept whole rows go. */
  private beforeWrite(): void {
    this.flushRows();
    this.rows.clear();
  }

  private execRow(id: bigint | number): Raw | undefined {
    const key = Number(id);
    let row = this.rows.get(key);
    if (row === undefined) {
      row = this.stmts.execById!.get(key) as Raw | undefined;
      if (row === undefined) return undefined;
      if (this.rows.size >= ROWS_KEPT) this.rows.clear();
      this.rows.set(key, row);
    }
    return row;
  }

  execSeenAgain(execId: number, image: ExecRow, ev: ExecEvent): void {
    const kept = this.execRow(execId) as Raw;
    const conflicts: string[] = [];
    if (image.cmdline !== null && kept.cmdline !== null && normalizeSpace(image.cmdline) !== normalizeSpace(String(kept.cmdline))) conflicts.push('cmdline');
    if (ev.ppid !== undefined && kept.ppid !== null && BigInt(ev.ppid) !== BigInt(kept.ppid as bigint)) conflicts.push('ppid');
    if (image.exepath !== null && kept.exepath !== null && usrMerged(image.exepath) !== usrMerged(String(kept.exepath))) conflicts.push('exepath');
    this.stmts.source!.run(
      execId,
      this.captureId,
      ev.ts || null,
      ev.pos?.line ?? null,
      ev.pos?.offset ?? null,
      ev.evtNum ?? null,
      ev.ppid ?? null,
      image.cmdline,
      image.exepath,
      conflicts.length > 0 ? conflicts.join(',') : null,
      kept.host_id,
    );
    if (conflicts.length > 0) {
      this.conflicts += 1;
      this.warn({
        location: { file: this.file, line: ev.pos?.line, offset: ev.pos?.offset },
        message: `pid ${ev.pid}: this record and exec row ${execId} (an earlier capture) are the same exec but disagree on ${conflicts.join(', ')}; the earlier row is kept, this record's values are in exec_sources`,
      });
    }
    const fill = {
      exe: image.exe,
      exepath: image.exepath,
      args: image.args,
      cmdline: image.cmdline,
      cwd: image.cwd,
      uid: image.uid,
      gid: image.gid,
      euid: image.euid,
      loginuid: image.loginuid,
      user_name: image.user,
      tty: image.tty,
      sid: image.sid,
      pgid: image.pgid,
      vpid: ev.vpid ?? null,
      ppid: ev.ppid ?? null,
      container_id: image.containerId,
    } as Record<string, unknown>;
    // Usually the earlier row lacks nothing; the update through the view is the costly part.
    if (FILL_COLUMNS.some((c) => kept[c] === null && fill[c] !== null)) {
      this.rows.clear(); // this capture's buffered rows are not the ones filled: no flush
      this.stmts.fill!.run({ id: execId, ...fill });
    }
  }

  dropForkImage(execId: number): boolean {
    this.beforeWrite();
    const r = this.stmts.forkRefs!.get({ id: execId }) as Raw | undefined;
    if (r?.kind !== 'fork' || Number(r.n) > 0 || this.exclude.split(',').includes(String(r.capture_id))) return false;
    this.stmts.dropExec!.run(execId);
    this.stmts.uncount!.run(r.capture_id);
    this.stmts.uncountHost!.run(r.capture_id, r.host_id);
    return true;
  }

  relinkPrev(execId: number, prevExecId: number): void {
    this.beforeWrite();
    this.stmts.relink!.run(prevExecId, execId);
  }

  adopt(processId: number, parent: { processId: number; pid: number; execId: () => number }, forkTs: bigint | null): boolean {
    this.beforeWrite();
    const now = this.stmts.parentOf!.get(processId) as Raw | undefined;
    if (!now || Number(now.parent_process_id ?? -1) === parent.processId) return false;
    const placeholderOfThatPid = now.origin === 'inferred' && Number(now.pid) === parent.pid;
    if (now.parent_process_id !== null && !placeholderOfThatPid) return false;
    const parentExec = parent.execId();
    this.beforeWrite();
    this.touched.add(processId);
    this.stmts.adopt!.run({ id: processId, parent: parent.processId, ppid: parent.pid, fork: forkTs });
    this.stmts.adoptImages!.run({ id: processId, parentExec, old: now.parent_process_id ?? null });
    if (forkTs === null) return true;
    const first = this.stmts.firstImage!.get(processId) as Raw | undefined;
    if (first?.kind !== 'inferred') return true;
    if (Number(first.refs) > 0) {
      this.stmts.toFork!.run({ id: first.exec_id, from: parentExec });
    } else {
      // It stood only for the image before the exec the earlier capture saw: a child that execs
      // straight away has no fork image.
      this.stmts.unlinkPrev!.run(first.exec_id);
      this.stmts.dropExec!.run(first.exec_id);
      this.stmts.uncount!.run(first.capture_id);
      this.stmts.uncountHost!.run(first.capture_id, first.host_id);
    }
    return true;
  }

  resumedProcess(row: ProcessRow): void {
    this.touched.add(row.processId);
    if (row.exitCode !== null || row.exitSignal !== null) {
      const kept = this.stmts.procExit!.get(row.processId) as Raw;
      const differs =
        (row.exitCode !== null && kept.exit_code !== null && BigInt(row.exitCode) !== BigInt(kept.exit_code as bigint)) ||
        (row.exitSignal !== null && kept.exit_signal !== null && BigInt(row.exitSignal) !== BigInt(kept.exit_signal as bigint));
      if (differs) {
        this.conflicts += 1;
        this.warn({
          location: { file: this.file },
          message: `pid ${row.pid}: exit status ${row.exitCode ?? `signal ${row.exitSignal}`} differs from process row ${row.processId} (an earlier capture); the earlier value is kept`,
        });
      }
    }
    this.stmts.proc!.run({
      id: row.processId,
      end: row.endNs,
      code: row.exitCode,
      signal: row.exitSignal,
      core: row.exitCore === null ? null : row.exitCore ? 1 : 0,
      vpid: row.vpid,
      container: row.containerId,
      threads: row.threadCount,
      parent: row.parentProcessId,
    });
  }

  /** After the capture's rows are written: first and last image of every process it extended. */
  finish(): void {
    this.beforeWrite();
    for (const p of this.touched) this.stmts.bounds!.run({ p });
  }

  private known(r: Raw, ts: bigint): KnownProcess {
    const processId = Number(r.process_id);
    const parentProcessId = r.parent_process_id === null ? null : Number(r.parent_process_id);
    const parentImage = parentProcessId === null ? null : (this.stmts.imageIdAt!.get(parentProcessId, ts) as Raw | undefined);
    return {
      processId,
      pid: Number(r.pid),
      vpid: r.vpid === null ? null : Number(r.vpid),
      ppid: r.ppid === null ? null : Number(r.ppid),
      startNs: r.start_ns as bigint | null,
      endNs: r.end_ns as bigint | null,
      containerId: r.container_id as string | null,
      origin: r.origin as ProcessOrigin,
      image: this.imageAt(processId, ts).image,
      parentExecId: parentImage ? Number(parentImage.exec_id) : null,
      parentProcessId,
    };
  }

  private hostId(name: string): number | null {
    let id = this.hostIds.get(name);
    if (id === undefined) {
      // A host first named by this capture has no earlier rows, so "none" stays true.
      id = this.hosts.existing(name);
      this.hostIds.set(name, id);
    }
    return id;
  }
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function normalizeSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function usrMerged(path: string): string {
  return path.replace(/^\/usr\/(s?bin|lib(?:32|64)?)\//, '/$1/');
}

/** Same program: executable paths equal up to the /usr merge, else the comm when a side has no path. */
export function sameProgram(a: { name: string | null; exepath: string | null }, b: { name: string | null; exepath: string | null }): boolean {
  if (a.exepath && b.exepath) return usrMerged(a.exepath) === usrMerged(b.exepath);
  return a.name !== null && b.name !== null && a.name.slice(0, 15) === b.name.slice(0, 15);
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : Number(v) !== 0);
const split = (v: unknown): string[] | null => (v === null || v === undefined ? null : String(v).split('\0'));

/** An exec row read back from the case, as the linker's own rows look. */
export function execRowFromDb(r: Raw): ExecRow {
  return {
    execId: Number(r.exec_id),
    processId: Number(r.process_id),
    host: '',
    kind: r.kind as ExecRow['kind'],
    parentExecId: num(r.parent_exec_id),
    prevExecId: num(r.prev_exec_id),
    ts: r.ts_ns as bigint | null,
    pid: Number(r.pid),
    tid: num(r.tid),
    vpid: num(r.vpid),
    ppid: num(r.ppid),
    name: r.name as string | null,
    exe: r.exe as string | null,
    exepath: r.exepath as string | null,
    args: r.args as string | null,
    argv: r.argv_json ? (JSON.parse(String(r.argv_json)) as string[]) : null,
    cmdline: r.cmdline as string | null,
    cwd: r.cwd as string | null,
    uid: num(r.uid),
    gid: num(r.gid),
    euid: num(r.euid),
    loginuid: num(r.loginuid),
    user: r.user_name as string | null,
    tty: num(r.tty),
    sid: num(r.sid),
    pgid: num(r.pgid),
    vpgid: num(r.vpgid),
    env: split(r.env),
    cgroups: split(r.cgroups),
    containerId: r.container_id as string | null,
    exeWritable: bool(r.exe_writable),
    exeUpperLayer: bool(r.exe_upper_layer),
    exeLowerLayer: bool(r.exe_lower_layer),
    exeFromMemfd: bool(r.exe_from_memfd),
    capPermitted: r.cap_permitted as string | null,
    capEffective: r.cap_effective as string | null,
    capInheritable: r.cap_inheritable as string | null,
    res: num(r.res),
    attemptExe: r.attempt_exe as string | null,
    evtNum: num(r.evt_num),
    evtType: r.evt_type as string | null,
    line: num(r.source_line),
    offset: num(r.source_offset),
  };
}
