import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { caseSchema } from '../case-schema.js';
import { copyTableFromPostgres } from './copy-from-postgres.js';
import { hostLockKey } from './copy-to-postgres.js';
import { isHostScoped } from './pg-layout.js';

/**
 * The tables an import consults whatever hosts it touches: host identity, captures it may repeat
 * or extend, capture counts, container metadata. Small next to the host-scoped rows.
 */
const ALWAYS_SEEDED = new Set(['hosts', 'captures', 'capture_hosts', 'containers']);

/**
 * Fills an empty scratch SQLite case with what an import into the PostgreSQL case needs to see:
 * the shared tables, and every row of the given hosts (their processes, execs, sources, alerts,
 * chain matches), ids kept, so the importer merges with them as it would in a SQLite case.
 */
export async function seedScratch(client: pg.Client, dest: BetterSqlite3.Database, hostIds: bigint[]): Promise<void> {
  dest.exec('BEGIN');
  try {
    for (const table of referencedLast(caseSchema().tables)) {
      if (ALWAYS_SEEDED.has(table.name)) await copyTableFromPostgres(client, dest, table);
      else if (isHostScoped(table) && hostIds.length > 0) {
        await copyTableFromPostgres(client, dest, table, 'WHERE host_id = ANY($1::bigint[])', [hostIds.map(String)]);
      }
    }
    dest.exec('COMMIT');
  } catch (err) {
    if (dest.inTransaction) dest.exec('ROLLBACK');
    throw err;
  }
}

const REFERENCED = new Set(['captures', 'hosts', 'containers']);

/**
 * The tables in an order where the ones other rows point at (captures, hosts, containers) come
 * last. Each table is read by its own statement, so an import of the same host committing
 * between two of them is seen by the later ones only: read captures first, and capture_hosts
 * could hold a capture the scratch case lacks, whose id the scratch import then gave its own
 * capture (UNIQUE constraint failed: capture_hosts.capture_id, capture_hosts.host_id). Read last,
 * the referenced tables hold at least every id the others name.
 */
function referencedLast<T extends { name: string }>(tables: readonly T[]): T[] {
  return [...tables.filter((t) => !REFERENCED.has(t.name)), ...tables.filter((t) => REFERENCED.has(t.name))];
}

/** Takes the transaction-level advisory lock of each host name, in one order so importers never deadlock. */
export async function lockHostNames(client: pg.Client, names: string[]): Promise<void> {
  for (const name of [...new Set(names)].sort()) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [hostLockKey(name)]);
}

/**
 * The ids of hosts of these names that already hold rows in the PostgreSQL case (besides the
 * processes of `ownCapture`, which this transaction is writing).
 */
export async function hostsWithRows(client: pg.Client, names: string[], ownCapture: bigint | null = null): Promise<bigint[]> {
  const r = await client.query(
    `SELECT h.host_id FROM hosts h WHERE h.hostname = ANY($1)
       AND (EXISTS (SELECT 1 FROM processes p WHERE p.host_id = h.host_id AND p.capture_id IS DISTINCT FROM $2::bigint)
            OR EXISTS (SELECT 1 FROM alerts a WHERE a.host_id = h.host_id))
     ORDER BY h.host_id`,
    [names, ownCapture === null ? null : ownCapture.toString()],
  );
  return r.rows.map((row) => BigInt(row.host_id));
}
