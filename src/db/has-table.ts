import type { Db } from './open.js';
import { isPostgresCase } from './statement-batch.js';

/** Whether the case holds a table of this name, on either backend. */
export function hasTable(db: Db, name: string): boolean {
  const sql = isPostgresCase(db)
    ? 'SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?'
    : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
  return db.prepare(sql).get(name) !== undefined;
}
