import type BetterSqlite3 from 'better-sqlite3';
import { PedigreeError } from '../util/errors.js';

export interface BoundedResult {
  columns: string[];
  rows: Record<string, unknown>[];
  /** More rows existed beyond the limit. */
  truncated: boolean;
}

/**
 * Runs user SQL on a read-only connection, returning at most `limit` rows and whether more
 * existed (fetch limit + 1, as Datasette does). A statement that would write is refused by the
 * connection itself (query_only); this only turns SQLite's message into a clear one.
 */
export function runBoundedQuery(db: BetterSqlite3.Database, sql: string, params: Record<string, unknown> | unknown[], limit: number): BoundedResult {
  let stmt: BetterSqlite3.Statement;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    throw new PedigreeError('QUERY', `SQL error: ${(err as Error).message}`);
  }
  if (!stmt.reader)
    throw new PedigreeError('QUERY', 'only statements that return rows (SELECT, WITH, PRAGMA reads) can run here: the case is opened read-only');
  const columns = stmt.columns().map((c) => c.name);
  const rows: Record<string, unknown>[] = [];
  let truncated = false;
  try {
    for (const row of stmt.iterate(...(Array.isArray(params) ? params : [params])) as Iterable<Record<string, unknown>>) {
      if (rows.length === limit) {
        truncated = true;
        break;
      }
      rows.push(row);
    }
  } catch (err) {
    throw new PedigreeError('QUERY', `SQL error: ${(err as Error).message}`);
  }
  return { columns, rows, truncated };
}
