import type { Db } from './open.js';
import { statementTimeoutMs } from './postgres/open-postgres.js';
import { PgCaseDb } from './postgres/pg-case-db.js';
import type { BatchOutcome, BatchStatement } from './postgres/pg-concurrent.js';

export type { BatchOutcome, BatchStatement };

/**
 * Session settings for the connections that evaluate rules and chain steps on PostgreSQL.
 *
 * - jit off: a rule query is hundreds of short index probes; compiling it to machine code
 *   (109 functions for "Run shell untrusted") cost more than the query itself.
 * - random_page_cost 1.1: the case is in memory or on SSD, where a random page costs about
 *   what a sequential one does (PostgreSQL's default 4 assumes spinning disks).
 * - enable_seqscan off: the long NOT (…) chains of upstream rules make PostgreSQL estimate
 *   one matching exec where there are tens of thousands, so it joins the ancestors (a1 … a7)
 *   by scanning all of execs once per row: 30,708 sequential scans in one measured plan. Every
 *   ancestor is one primary-key probe; with sequential scans priced out the planner probes.
 */
const EVALUATION_SETTINGS: Record<string, string> = { jit: 'off', random_page_cost: '1.1', enable_seqscan: 'off' };

/**
 * Runs independent read statements (the rules of a run, a chain on each host) and answers in
 * their order: one after the other on SQLite, concurrently on several connections on
 * PostgreSQL. A statement that fails is reported in its outcome; the others still run.
 */
export function runStatementBatch(db: Db, statements: readonly BatchStatement[]): BatchOutcome[] {
  const pg = db as unknown as PgCaseDb;
  if (pg instanceof PgCaseDb) return pg.runConcurrently(statements, EVALUATION_SETTINGS, statementTimeoutMs());
  return statements.map((st) => {
    const started = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
    try {
      const rows = db.prepare(st.sql).all(...st.parameters) as Record<string, unknown>[];
      return { ok: true, rows, ms: ms() };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err), ms: ms() };
    }
  });
}

/** Whether the case is on PostgreSQL (where chains run one query per host). */
export function isPostgresCase(db: Db): boolean {
  return (db as unknown) instanceof PgCaseDb;
}
