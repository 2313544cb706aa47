import type BetterSqlite3 from 'better-sqlite3';

export interface DroppedIndexes {
  sql: string[];
}

const BULK_TABLES = ['exec_rows', 'exec_extras', 'processes'];

/**
 * Loading into empty tables is fastest without secondary indexes; they are dropped here and
 * rebuilt before commit (inside the same transaction, so a failed import restores them too).
 * When the case already holds rows, indexes stay: rebuilding them would cost more than it saves.
 */
export function dropIndexesForBulkLoad(db: BetterSqlite3.Database): DroppedIndexes | null {
  const hasRows = db.prepare('SELECT EXISTS (SELECT 1 FROM exec_rows) AS x').get() as { x: bigint | number };
  if (Number(hasRows.x) !== 0) return null;
  const rows = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
              AND tbl_name IN (${BULK_TABLES.map(() => '?').join(',')})`)
    .all(...BULK_TABLES) as { name: string; sql: string }[];
  for (const r of rows) db.exec(`DROP INDEX ${quoteIdent(r.name)}`);
  return { sql: rows.map((r) => r.sql) };
}

/**
 * One sorter thread: helper threads (`PRAGMA threads`) did not make the builds faster (they are
 * bound by reading the table) but each holds its own sort memory, up to the cache size.
 */
export function rebuildIndexes(db: BetterSqlite3.Database, dropped: DroppedIndexes): void {
  for (const sql of dropped.sql) db.exec(sql);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
