import { FieldJoins } from '../../fields/field-query.js';
import type { Expr } from '../../rules/condition/ast.js';
import { compileConditionSql } from '../../rules/compile/compile-condition.js';
import { conditionEvaluability } from '../../rules/compile/evaluability.js';
import { eventFilter } from '../../rules/compile/rule-query.js';
import { sql } from 'kysely';
import type { SqlFrag } from '../../db/sql-dialect.js';

export interface TimeBounds {
  /** Only events at or after this time (ns since the epoch). */
  sinceNs?: bigint;
  /** Only events before this time. */
  untilNs?: bigint;
  /**
   * Only this host's execs, every join kept on it: how chains run on PostgreSQL, one query per
   * host (on a case distributed by host, each inside one shard).
   */
  hostId?: bigint;
}

export type CandidatesResult =
  | { status: 'ok'; frag: SqlFrag; eventTypes: string[] }
  | { status: 'not-evaluable'; blocking: string; reason: string }
  | { status: 'error'; message: string };

/**
 * The exec rows one step's condition matches, compiled exactly as a rule's condition, as the
 * body of a CTE: `SELECT exec_id, ts_ns, process_id, host_id, box FROM execs e … WHERE …`, where `box`
 * is the container id, or '' for the host (Falco's `container.id = host`), so that a container
 * relation is a plain equality.
 * Rows without a time cannot be ordered against other steps and are left out.
 */
export function stepCandidates(ast: Expr, bounds: TimeBounds): CandidatesResult {
  const verdict = conditionEvaluability(ast);
  if (!verdict.evaluable) return { status: 'not-evaluable', blocking: verdict.blocking, reason: verdict.reason };
  const joins = new FieldJoins();
  const compiled = compileConditionSql(verdict.ast, joins);
  if (compiled.status !== 'ok') return compiled;
  const condition = compiled.frag;
  const where: SqlFrag[] = [eventFilter(verdict.eventTypes), condition, sql.raw('e.ts_ns IS NOT NULL')];
  if (bounds.sinceNs !== undefined) where.push(sql`e.ts_ns >= ${sql.val(bounds.sinceNs)}`);
  if (bounds.untilNs !== undefined) where.push(sql`e.ts_ns < ${sql.val(bounds.untilNs)}`);
  if (bounds.hostId !== undefined) where.push(sql`e.host_id = ${sql.val(bounds.hostId)}`);
  const frag = sql`SELECT e.exec_id AS exec_id, e.ts_ns AS ts_ns, e.process_id AS process_id, e.host_id AS host_id, COALESCE(e.container_id, '') AS box
    ${sql.raw(joins.fromClause())}
    WHERE ${sql.join(where, sql.raw('\n      AND '))}`;
  return { status: 'ok', frag, eventTypes: verdict.eventTypes };
}
