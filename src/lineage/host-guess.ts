import type BetterSqlite3 from 'better-sqlite3';
import { rawRows } from './exec-node.js';

const lastHosts = new WeakMap<BetterSqlite3.Database, Map<string, unknown>>();

/**
 * Runs a lineage walk that names one host, for a row whose host is not known yet: first with
 * the host the previous walk from that table used on this connection (lineage questions come in
 * runs on one host: a TUI session, an investigation), and only when that finds nothing, after
 * looking the host up. On PostgreSQL this saves one of the two round trips of an ancestry. The
 * walk starts from its primary key (host_id, id), so a wrong guess finds nothing, never another
 * host's rows, and every query still names one host (one shard on Citus).
 */
export function walkOnHost<T>(
  db: BetterSqlite3.Database,
  table: 'exec_rows' | 'processes',
  idColumn: string,
  id: number,
  walk: (host: unknown) => T[],
): { host: unknown; rows: T[] } {
  let memo = lastHosts.get(db);
  if (!memo) {
    memo = new Map();
    lastHosts.set(db, memo);
  }
  const guess = memo.get(table);
  if (guess !== undefined) {
    const rows = walk(guess);
    if (rows.length > 0) return { host: guess, rows };
  }
  const [host] = rawRows(db, `SELECT host_id FROM ${table} WHERE ${idColumn} = ?`, [id]);
  if (!host) return { host: undefined, rows: [] };
  memo.set(table, host[0]);
  return { host: host[0], rows: guess !== undefined && String(guess) === String(host[0]) ? [] : walk(host[0]) };
}
