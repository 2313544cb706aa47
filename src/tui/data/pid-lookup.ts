import type BetterSqlite3 from 'better-sqlite3';
import { num, type Raw } from './sql-values.js';
import { prepared } from '../../db/statement-cache.js';

const PID_MATCH_CAP = 200;

/**
 * The last images of the processes that had this pid, host by host through the (host_id, pid)
 * index; a pid reused during the case gives several.
 */
export function execsWithPid(
  db: BetterSqlite3.Database,
  pid: number,
  scope: { hostId?: number; containerId?: string },
): { execId: number; processId: number }[] {
  const hostIds =
    scope.hostId !== undefined
      ? [scope.hostId]
      : (prepared(db, 'SELECT host_id FROM hosts ORDER BY host_id LIMIT 1000').all() as Raw[]).map((r) => Number(r.host_id));
  const stmt = prepared(
    db,
    `SELECT process_id, last_exec_id, container_id FROM processes WHERE host_id = ? AND pid = ?
      ORDER BY process_id LIMIT ?`,
  );
  const out: { execId: number; processId: number }[] = [];
  for (const hostId of hostIds) {
    for (const r of stmt.all(hostId, pid, PID_MATCH_CAP) as Raw[]) {
      const execId = num(r.last_exec_id);
      if (execId === null) continue;
      if (scope.containerId !== undefined && r.container_id !== scope.containerId) continue;
      out.push({ execId, processId: Number(r.process_id) });
    }
  }
  return out;
}
