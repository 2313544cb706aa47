import pg from 'pg';

/** What a server wrote in an interval: WAL bytes, checkpoints started, buffers backends wrote out themselves. */
export interface ServerWrites {
  walBytes: number;
  checkpoints: number;
  backendWrites: number;
}

/**
 * The server's cumulative write counters (pg_stat_wal, pg_stat_bgwriter; PostgreSQL 14–16), or
 * null where they are not there (PostgreSQL 17 moved the checkpoint counters).
 */
export async function serverWrites(url: string): Promise<ServerWrites | null> {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    const r = await c.query(`SELECT (SELECT wal_bytes FROM pg_stat_wal)::float8 AS wal,
      (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)::float8 AS checkpoints,
      (SELECT buffers_backend FROM pg_stat_bgwriter)::float8 AS backend`);
    const row = r.rows[0] as { wal: number; checkpoints: number; backend: number };
    return { walBytes: row.wal, checkpoints: row.checkpoints, backendWrites: row.backend };
  } catch {
    return null;
  } finally {
    await c.end().catch(() => {});
  }
}

/** The counters' growth from `before` to `after`, as a phrase for the benchmark's table ('' when unknown). */
export function writesText(before: ServerWrites | null, after: ServerWrites | null): string {
  if (before === null || after === null) return '';
  const mb = (after.walBytes - before.walBytes) / 1e6;
  return `; ${mb.toFixed(0)} MB WAL, ${after.checkpoints - before.checkpoints} checkpoints, ${after.backendWrites - before.backendWrites} buffers written by backends`;
}
