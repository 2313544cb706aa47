import type { TableShape } from '../case-schema.js';

/**
 * How the case tables are laid out on PostgreSQL (and distributed on Citus). The columns come
 * from the SQLite schema (case-schema.ts); only what PostgreSQL needs on top is said here.
 */

/** Tables whose rows belong to one host: distributed by host_id, host_id leads the key. */
export function isHostScoped(table: TableShape): boolean {
  const hostId = table.columns.find((c) => c.name === 'host_id');
  return hostId?.notNull === true && !REFERENCE_TABLES.has(table.name);
}

/**
 * Small tables every host's rows join to: copied to every node on Citus. `captures` carries a
 * host_id but is one row per imported file, read by every command.
 */
const REFERENCE_TABLES = new Set(['hosts', 'captures', 'capture_hosts', 'capture_warnings', 'containers', 'users']);

/**
 * Columns holding NUL-joined lists (environment, cgroups). PostgreSQL text cannot hold NUL, so
 * these are bytea there: the bytes are kept exactly, and reads turn them back into the same
 * string SQLite returns.
 */
const NUL_JOINED_COLUMNS = new Set(['execs.env', 'execs.cgroups']);

export function pgColumnType(table: string, column: string, sqliteType: string): string {
  if (NUL_JOINED_COLUMNS.has(`${table}.${column}`)) return 'bytea';
  switch (sqliteType) {
    case 'INTEGER':
      return 'bigint';
    case 'REAL':
      return 'double precision';
    case 'BLOB':
      return 'bytea';
    default:
      return 'text';
  }
}

/** Sequence that hands out a table's surrogate ids, so several importers never collide. */
export function idSequence(table: TableShape): string | null {
  const key = table.primaryKey;
  if (key.length !== 1) return null;
  const col = table.columns.find((c) => c.name === key[0]);
  return col?.type === 'INTEGER' ? `${table.name}_${key[0]}_seq` : null;
}
