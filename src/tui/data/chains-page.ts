import type BetterSqlite3 from 'better-sqlite3';
import type { Page } from './types.js';
import { prepared } from './statement-cache.js';

export interface ChainsPage extends Page<unknown[]> {
  columns: string[];
  /** Index of the column holding the exec a row jumps to (the last `*exec_id` column), or -1. */
  jumpColumn: number;
}

/**
 * A page of the `chains` table, whatever its columns: the rule commands own its schema. A row
 * jumps to the exec named by its last column ending in `exec_id` (the step that completed it).
 */
export function loadChainsPage(db: BetterSqlite3.Database, offset: number, limit: number): ChainsPage {
  const stmt = prepared(db, 'SELECT * FROM chains ORDER BY rowid LIMIT ? OFFSET ?');
  const columns = stmt.columns().map((c) => c.name);
  const rows = stmt.raw(true).all(limit + 1, offset) as unknown[][];
  stmt.raw(false);
  let jumpColumn = -1;
  columns.forEach((c, i) => {
    if (/exec_id$/i.test(c)) jumpColumn = i;
  });
  return { columns, items: rows.slice(0, limit), moreBefore: offset > 0, moreAfter: rows.length > limit, jumpColumn };
}
