import type BetterSqlite3 from 'better-sqlite3';

export interface DroppedIndexes {
  sql: string[];
  /** The connection's cache_size before the load, set again once the indexes are rebuilt. */
  cacheSize: number;
}

/**
 * SQLite's page cache while loading into empty tables (16 MiB, as a negative cache_size in KiB).
 * Rows are appended near the right edge of each table, so a small cache writes as fast as the
 * 64 MiB one (1M JSON-lines execs: the same CPU) and the import's peak RSS is ~40 MB lower; the
 * index builds' sorter keeps at most this much of each index in memory before spilling to a
 * temporary file.
 */
const BULK_LOAD_CACHE_KIB = 16384;

const BULK_TABLES = ['exec_rows', 'exec_extras', 'processes'];

/**
 * Loading into empty tables is fastest without secondary indexes; they are dropped here (except
 * those named in `keep`) and rebuilt before commit (inside the same transaction, so a failed
 * import restores them too). When the case already holds rows, indexes stay: rebuilding them
 * would cost more than it saves.
 */
export function dropIndexesForBulkLoad(db: BetterSqlite3.Database, keep: ReadonlySet<string> = new Set()): DroppedIndexes | null {
  const hasRows = db.prepare('SELECT EXISTS (SELECT 1 FROM exec_rows) AS x').get() as { x: bigint | number };
  if (Number(hasRows.x) !== 0) return null;
  const rows = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
              AND tbl_name IN (${BULK_TABLES.map(() => '?').join(',')})`)
    .all(...BULK_TABLES)
    .filter((r) => !keep.has((r as { name: string }).name)) as { name: string; sql: string }[];
  for (const r of rows) db.exec(`DROP INDEX ${quoteIdent(r.name)}`);
  const cacheSize = Number(db.pragma('cache_size', { simple: true }));
  db.pragma(`cache_size = -${BULK_LOAD_CACHE_KIB}`);
  return { sql: rows.map((r) => r.sql), cacheSize };
}

/**
 * One sorter thread: helper threads (`PRAGMA threads`) did not make the builds faster (they are
 * bound by reading the table) but each holds its own sort memory, up to the cache size.
 */
export function rebuildIndexes(db: BetterSqlite3.Database, dropped: DroppedIndexes): void {
  for (const sql of dropped.sql) db.exec(sql);
  db.pragma(`cache_size = ${dropped.cacheSize}`);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
