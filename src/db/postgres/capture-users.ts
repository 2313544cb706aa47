import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

/**
 * Gives exec rows streamed to PostgreSQL the user names their capture's own user list gives
 * (the first listed for a uid, host users only), as the importer does for rows in the case
 * (import-file.ts, finishCapture) once the capture is whole. `execIds` bounds the capture's
 * exec rows, `hostIds` their hosts: together the rows' key.
 */
export async function nameExecUsers(
  client: pg.Client,
  scratch: BetterSqlite3.Database,
  scratchCaptureId: number,
  rows: { hostIds: bigint[]; execIds: { first: bigint; last: bigint } },
): Promise<void> {
  const listed = scratch
    .prepare('SELECT uid, name FROM users WHERE capture_id = ? AND container_id IS NULL AND uid IS NOT NULL ORDER BY rowid')
    .raw(true)
    .all(scratchCaptureId) as [bigint | number, string | null][];
  const names = new Map<string, string | null>();
  for (const [uid, name] of listed) if (!names.has(String(uid))) names.set(String(uid), name);
  if (names.size === 0 || rows.hostIds.length === 0) return;
  await client.query(
    `UPDATE execs e SET user_name = m.name FROM unnest($1::bigint[], $2::text[]) AS m(uid, name)
      WHERE e.host_id = ANY($3::bigint[]) AND e.exec_id BETWEEN $4::bigint AND $5::bigint AND e.user_name IS NULL AND e.uid = m.uid`,
    [[...names.keys()], [...names.values()], rows.hostIds.map(String), rows.execIds.first.toString(), rows.execIds.last.toString()],
  );
}
