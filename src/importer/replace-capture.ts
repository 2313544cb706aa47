import type BetterSqlite3 from 'better-sqlite3';

/**
 * A capture that extends a stored truncated one replaces it: both were read by the same reader
 * from the same first bytes, so each of the old capture's rows has a twin in the new one (same
 * kind, pid, time and source position). References from the rest of the case move to the twins,
 * then the old rows go, except its alerts, which the new capture did not store again and which
 * move to it. Rows without a twin that other captures still point at are kept.
 * Runs inside the import transaction. Returns how many of the old rows had no twin and stayed.
 */
export function replaceCapture(db: BetterSqlite3.Database, oldId: number, newId: number): number {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS exec_twin (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
           CREATE TEMP TABLE IF NOT EXISTS process_twin (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
           DELETE FROM exec_twin; DELETE FROM process_twin;`);
  const twinKey = `o.kind = n.kind AND o.pid = n.pid AND o.ts_ns IS n.ts_ns AND o.evt_num IS n.evt_num
                   AND o.source_offset IS n.source_offset AND o.source_line IS n.source_line AND o.tid IS n.tid`;
  db.prepare(`INSERT OR IGNORE INTO exec_twin (old, new)
              SELECT o.exec_id, min(n.exec_id) FROM execs o JOIN execs n ON n.capture_id = :new AND ${twinKey}
              WHERE o.capture_id = :old GROUP BY o.exec_id`).run({ old: oldId, new: newId });
  db.prepare(`INSERT OR IGNORE INTO process_twin (old, new)
              SELECT o.process_id, min(n.process_id) FROM processes o JOIN processes n
                ON n.capture_id = :new AND n.pid = o.pid AND n.start_ns IS o.start_ns AND n.origin = o.origin AND n.host_id = o.host_id
              WHERE o.capture_id = :old GROUP BY o.process_id`).run({ old: oldId, new: newId });

  const repoint = (table: string, column: string, map: string, where = ''): void => {
    db.exec(`UPDATE ${table} SET ${column} = (SELECT new FROM ${map} WHERE old = ${table}.${column})
             WHERE ${column} IN (SELECT old FROM ${map}) ${where}`);
  };
  repoint('execs', 'parent_exec_id', 'exec_twin');
  repoint('execs', 'prev_exec_id', 'exec_twin');
  repoint('alerts', 'exec_id', 'exec_twin');
  repoint('chain_steps', 'exec_id', 'exec_twin');
  repoint('chains', 'first_exec_id', 'exec_twin');
  repoint('chains', 'last_exec_id', 'exec_twin');
  repoint('processes', 'parent_process_id', 'process_twin');
  repoint('processes', 'first_exec_id', 'exec_twin', `AND capture_id <> ${Number(oldId)}`);
  repoint('processes', 'last_exec_id', 'exec_twin', `AND capture_id <> ${Number(oldId)}`);
  if (hasTable(db, 'exec_sources')) repoint('exec_sources', 'exec_id', 'exec_twin');

  // The new capture's import left out each alert the old one already held (the same alert another
  // capture brought), so the old capture's alerts are the new one's: they move rather than go.
  db.prepare('UPDATE alerts SET capture_id = ? WHERE capture_id = ?').run(newId, oldId);

  // Old rows with no twin stay only while something outside the old capture still refers to them.
  const stillNeeded = `SELECT parent_exec_id FROM execs WHERE capture_id <> :old AND parent_exec_id IS NOT NULL
                       UNION SELECT prev_exec_id FROM execs WHERE capture_id <> :old AND prev_exec_id IS NOT NULL
                       UNION SELECT exec_id FROM alerts WHERE exec_id IS NOT NULL AND (capture_id IS NULL OR capture_id <> :old)`;
  db.prepare(`DELETE FROM execs WHERE capture_id = :old AND exec_id NOT IN (${stillNeeded})`).run({ old: oldId });
  db.prepare(`DELETE FROM processes WHERE capture_id = :old AND process_id NOT IN (SELECT process_id FROM execs WHERE capture_id = :old)
                AND process_id NOT IN (SELECT parent_process_id FROM processes WHERE capture_id <> :old AND parent_process_id IS NOT NULL)`).run({
    old: oldId,
  });
  db.prepare('DELETE FROM users WHERE capture_id = ?').run(oldId);
  db.prepare('UPDATE containers SET first_capture_id = ? WHERE first_capture_id = ?').run(newId, oldId);
  const kept = (db.prepare('SELECT count(*) AS n FROM execs WHERE capture_id = ?').get(oldId) as { n: bigint | number }).n;
  db.prepare(`UPDATE captures SET outcome = :outcome, same_as_capture_id = :new,
                process_count = (SELECT count(*) FROM processes WHERE capture_id = :old),
                exec_count = (SELECT count(*) FROM execs WHERE capture_id = :old)
              WHERE capture_id = :old`).run({ old: oldId, new: newId, outcome: `replaced by capture ${newId}` });
  return Number(kept);
}

function hasTable(db: BetterSqlite3.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
