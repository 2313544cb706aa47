import type BetterSqlite3 from 'better-sqlite3';
import { prepared } from '../db/statement-cache.js';

/**
 * Of the given processes, those whose pid another process on the same host also had during the
 * case (PID reuse), so a picture can warn that `pid N` alone would be ambiguous.
 */
export function processesWithReusedPid(db: BetterSqlite3.Database, processIds: readonly number[]): Set<number> {
  if (processIds.length === 0) return new Set();
  const rows = prepared(
    db,
    `SELECT p.process_id FROM processes p WHERE p.process_id IN (SELECT value FROM json_each(?))
      AND EXISTS (SELECT 1 FROM processes q WHERE q.host_id = p.host_id AND q.pid = p.pid AND q.process_id <> p.process_id)`,
  )
    .raw(true)
    .all(JSON.stringify([...new Set(processIds)])) as unknown[][];
  return new Set(rows.map((r) => Number(r[0])));
}
