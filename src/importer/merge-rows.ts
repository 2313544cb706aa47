import type BetterSqlite3 from 'better-sqlite3';
import { EXEC_CONTEXT_COLUMNS, fillMissingFrom, IMAGE_COLUMNS } from './image-columns.js';

/** Exec columns a kept row takes from its duplicate when it has none itself. */
const FILL_EXEC = ['tid', 'vpid', 'ppid', ...IMAGE_COLUMNS, ...EXEC_CONTEXT_COLUMNS];
const FILL_PROCESS = ['vpid', 'ppid', 'end_ns', 'exit_code', 'exit_signal', 'exit_core', 'container_id'];

/** Rewrites the case so that exec row `dup` and its process fold into `keep` and its process. */
export class RowMerger {
  private readonly fillExec: BetterSqlite3.Statement;
  private readonly fillProcess: BetterSqlite3.Statement;
  private readonly stmts: Record<string, BetterSqlite3.Statement>;

  constructor(db: BetterSqlite3.Database) {
    this.fillExec = db.prepare(`UPDATE execs SET ${fillMissingFrom(FILL_EXEC, 'dup')}
      WHERE exec_id = :keep`);
    this.fillProcess =
      db.prepare(`UPDATE processes SET ${FILL_PROCESS.map((c) => `${c} = COALESCE(${c}, (SELECT ${c} FROM processes d WHERE d.process_id = :dup))`).join(', ')},
        start_ns = MIN(COALESCE(start_ns, (SELECT start_ns FROM processes d WHERE d.process_id = :dup)),
                       COALESCE((SELECT start_ns FROM processes d WHERE d.process_id = :dup), start_ns)),
        origin = CASE WHEN origin = 'inferred' THEN COALESCE((SELECT origin FROM processes d WHERE d.process_id = :dup), origin) ELSE origin END
      WHERE process_id = :keep`);
    const q = (sql: string): BetterSqlite3.Statement => db.prepare(sql);
    this.stmts = {
      exec: q('SELECT exec_id, process_id, parent_exec_id, kind FROM execs WHERE exec_id = ?'),
      parentKind: q('SELECT kind FROM execs WHERE exec_id = ?'),
      setParent: q('UPDATE execs SET parent_exec_id = ? WHERE exec_id = ?'),
      repointParent: q('UPDATE execs SET parent_exec_id = ? WHERE parent_exec_id = ? AND exec_id <> ?'),
      repointPrev: q('UPDATE execs SET prev_exec_id = ? WHERE prev_exec_id = ? AND exec_id <> ?'),
      repointAlerts: q('UPDATE alerts SET exec_id = ? WHERE exec_id = ?'),
      recordSource: q(`INSERT INTO exec_sources (exec_id, capture_id, ts_ns, source_line, source_offset, evt_num, ppid, cmdline, exepath, conflict, host_id)
                       SELECT :keep, d.capture_id, d.ts_ns, d.source_line, d.source_offset, d.evt_num, d.ppid, d.cmdline, d.exepath,
                              CASE WHEN d.cmdline IS NOT NULL AND k.cmdline IS NOT NULL AND d.cmdline <> k.cmdline THEN 'cmdline' END, k.host_id
                       FROM execs d, execs k WHERE d.exec_id = :dup AND k.exec_id = :keep AND d.kind = 'exec'`),
      repointSources: q('UPDATE exec_sources SET exec_id = ? WHERE exec_id = ?'),
      moveExecs: q('UPDATE execs SET process_id = ? WHERE process_id = ?'),
      process: q('SELECT process_id, parent_process_id, origin FROM processes WHERE process_id = ?'),
      setProcParent: q('UPDATE processes SET parent_process_id = ? WHERE process_id = ?'),
      repointChildren: q('UPDATE processes SET parent_process_id = ? WHERE parent_process_id = ? AND process_id <> ?'),
      deleteProcess: q('DELETE FROM processes WHERE process_id = ?'),
      deleteExec: q('DELETE FROM execs WHERE exec_id = ?'),
      // The capture that wrote a folded row no longer holds it: its counts say so.
      uncountExec: q(`UPDATE capture_hosts SET exec_count = exec_count - 1
                      WHERE (capture_id, host_id) = (SELECT capture_id, host_id FROM execs WHERE exec_id = ?)`),
      uncountProcess: q(`UPDATE capture_hosts SET process_count = process_count - 1
                         WHERE (capture_id, host_id) = (SELECT capture_id, host_id FROM processes WHERE process_id = ?)`),
      uncountCaptureExec: q('UPDATE captures SET exec_count = exec_count - 1 WHERE capture_id = (SELECT capture_id FROM execs WHERE exec_id = ?)'),
      uncountCaptureProcess: q(
        'UPDATE captures SET process_count = process_count - 1 WHERE capture_id = (SELECT capture_id FROM processes WHERE process_id = ?)',
      ),
      bounds: q(`UPDATE processes SET
          first_exec_id = (SELECT exec_id FROM execs WHERE process_id = :p ORDER BY ts_ns IS NOT NULL, ts_ns, exec_id LIMIT 1),
          last_exec_id = (SELECT exec_id FROM execs WHERE process_id = :p ORDER BY ts_ns IS NULL, ts_ns DESC, exec_id DESC LIMIT 1)
        WHERE process_id = :p`),
    };
  }

  merge(dup: number, keep: number): void {
    if (dup === keep) return;
    const s = this.stmts;
    const d = s.exec!.get(dup) as ExecRef | undefined;
    const k = s.exec!.get(keep) as ExecRef | undefined;
    if (!d || !k) return;
    s.recordSource!.run({ keep, dup });
    this.fillExec.run({ dup, keep });
    // The better parent edge wins: an observed image over a placeholder.
    if (d.parent_exec_id !== null && Number(d.parent_exec_id) !== keep && this.weakParent(k.parent_exec_id) && !this.weakParent(d.parent_exec_id)) {
      s.setParent!.run(d.parent_exec_id, keep);
    }
    s.repointParent!.run(keep, dup, keep);
    s.repointPrev!.run(keep, dup, keep);
    s.repointAlerts!.run(keep, dup);
    s.repointSources!.run(keep, dup);
    s.uncountExec!.run(dup);
    s.uncountCaptureExec!.run(dup);
    s.deleteExec!.run(dup);
    const pd = Number(d.process_id);
    const pk = Number(k.process_id);
    if (pd !== pk) {
      const dp = s.process!.get(pd) as ProcRef | undefined;
      const kp = s.process!.get(pk) as ProcRef | undefined;
      this.fillProcess.run({ dup: pd, keep: pk });
      if (
        dp &&
        kp &&
        dp.parent_process_id !== null &&
        Number(dp.parent_process_id) !== pk &&
        (kp.parent_process_id === null || this.inferredProcess(kp.parent_process_id))
      ) {
        s.setProcParent!.run(dp.parent_process_id, pk);
      }
      s.moveExecs!.run(pk, pd);
      s.repointChildren!.run(pk, pd, pk);
      s.uncountProcess!.run(pd);
      s.uncountCaptureProcess!.run(pd);
      s.deleteProcess!.run(pd);
    }
    s.bounds!.run({ p: pk });
  }

  private weakParent(execId: bigint | number | null): boolean {
    if (execId === null) return true;
    const row = this.stmts.parentKind!.get(execId) as { kind: string } | undefined;
    return !row || row.kind === 'inferred';
  }

  private inferredProcess(processId: bigint | number): boolean {
    const row = this.stmts.process!.get(processId) as ProcRef | undefined;
    return !row || row.origin === 'inferred';
  }
}

interface ExecRef {
  exec_id: bigint;
  process_id: bigint;
  parent_exec_id: bigint | null;
  kind: string;
}

interface ProcRef {
  process_id: bigint;
  parent_process_id: bigint | null;
  origin: string;
}
