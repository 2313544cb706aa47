import type pg from 'pg';

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
