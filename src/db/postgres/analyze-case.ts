import type pg from 'pg';
import { type CaseSchema, caseSchema, type TableShape } from '../case-schema.js';
import { idKindOf } from './id-remap.js';

/**
 * The columns the planner picks access paths and join orders by: the key, the host, every id,
 * every indexed column and the times. Lineage walks, host and time filters and joins between
 * tables read these.
 */
export function plannerColumns(table: TableShape, schema: CaseSchema): string[] {
  const indexed = new Set(schema.indexes.filter((i) => i.table === table.name).flatMap((i) => i.columns));
  return table.columns
    .map((c) => c.name)
    .filter((name) => table.primaryKey.includes(name) || name === 'host_id' || idKindOf(name) !== undefined || indexed.has(name) || name.endsWith('_ns'));
}

/**
 * Gives the planner statistics for what a bulk write just added. Autovacuum would analyze the
 * tables a minute or more later; until then lineage walks planned without statistics ran 10–100×
 * slower (a 420-process subtree: 480 ms instead of a few ms).
 *
 * Only the planner's columns are sampled here: statistics of every execs column (wide command
 * lines, cgroups, environments) took three times as long (100k execs: 1.27 s against 0.36 s
 * under load), and two importers that finish together analyze each table in turn. An ANALYZE
 * limited to some columns leaves the table's count of changes as it was, so autovacuum still
 * analyzes the whole table soon after.
 */
export async function analyzeCase(client: pg.Client): Promise<void> {
  const schema = caseSchema();
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  await client.query(`ANALYZE ${schema.tables.map((t) => `${q(t.name)} (${plannerColumns(t, schema).map(q).join(', ')})`).join(', ')}`);
}
