import { caseSchema } from '../case-schema.js';
import type { PgCaseDb } from './pg-case-db.js';
import { isHostScoped } from './pg-layout.js';

export interface DistributionStep {
  table: string;
  how: 'distributed by host_id' | 'reference (copied to every node)';
  sql: string;
}

/**
 * How a case spreads over a Citus cluster: host-scoped tables are distributed by host_id and
 * co-located (a host's execs, processes and chain matches sit on one node, so every lineage,
 * tree, ancestry and chain query is a single-shard query); the small tables every query joins
 * are reference tables.
 */
export function distributionPlan(): DistributionStep[] {
  const tables = caseSchema().tables;
  const hostScoped = tables.filter(isHostScoped).sort((a, b) => (a.name === 'execs' ? -1 : b.name === 'execs' ? 1 : a.name.localeCompare(b.name)));
  const anchor = hostScoped[0]?.name;
  return [
    ...tables
      .filter((t) => !isHostScoped(t))
      .map((t) => ({ table: t.name, how: 'reference (copied to every node)' as const, sql: `SELECT create_reference_table('${t.name}')` })),
    ...hostScoped.map((t) => ({
      table: t.name,
      how: 'distributed by host_id' as const,
      sql:
        t.name === anchor
          ? `SELECT create_distributed_table('${t.name}', 'host_id')`
          : `SELECT create_distributed_table('${t.name}', 'host_id', colocate_with => '${anchor}')`,
    })),
  ];
}

export function citusInstalled(db: PgCaseDb): boolean {
  return db.prepare("SELECT count(*) FROM pg_extension WHERE extname = 'citus'").pluck().get() === 1n;
}

/** Runs the plan's steps not done yet, in one transaction. Returns the tables changed. */
export function distribute(db: PgCaseDb): string[] {
  const done = new Set(
    (db.prepare('SELECT logicalrelid::regclass::text FROM pg_dist_partition').pluck().all() as string[]).map((t) =>
      t.replace(/^public\./, '').replace(/"/g, ''),
    ),
  );
  const changed: string[] = [];
  db.transaction(() => {
    for (const step of distributionPlan()) {
      if (done.has(step.table)) continue;
      db.prepare(step.sql).all();
      changed.push(step.table);
    }
  })();
  return changed;
}
