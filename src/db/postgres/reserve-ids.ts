import type pg from 'pg';

/** Session advisory lock held while ids are reserved or handed back (every importer takes it). */
export const ID_LOCK = 0x70656470;

/**
 * Takes `span` consecutive ids from the sequence of `table.column`, past any id already in the
 * table, and returns the first: importers of other hosts, running at once, each get their own block.
 */
export async function reserveIdBlock(client: pg.Client, table: string, column: string, span: bigint): Promise<bigint> {
  const seq = `${table}_${column}_seq`;
  const r = await client.query(
    `SELECT setval('${seq}', GREATEST(nextval('${seq}'), (SELECT COALESCE(max(${column}), 0) + 1 FROM ${table})) + $1::bigint - 1) AS hi`,
    [span.toString()],
  );
  return BigInt(r.rows[0].hi) - span + 1n;
}

/**
 * Hands back the end of a block nobody reserved past: when the sequence still stands at the
 * block's last id, it is set back to the last id used (the next block then follows on without a
 * gap). Call with ID_LOCK held.
 */
export async function returnUnusedIds(client: pg.Client, table: string, column: string, block: { first: bigint; last: bigint }, used: bigint): Promise<void> {
  if (used >= block.last - block.first + 1n) return;
  const seq = `${table}_${column}_seq`;
  const lastUsed = block.first + used - 1n;
  await client.query(
    `SELECT CASE WHEN $2::bigint >= 1 THEN setval('${seq}', $2::bigint) ELSE setval('${seq}', 1, false) END
       FROM ${seq} WHERE last_value = $1::bigint AND is_called`,
    [block.last.toString(), lastUsed.toString()],
  );
}
