import { FieldJoins } from '../../fields/field-query.js';
import type { Expr } from '../../rules/condition/ast.js';
import { compileConditionSql } from '../../rules/compile/compile-condition.js';
import { conditionEvaluability } from '../../rules/compile/evaluability.js';
import { eventFilter } from '../../rules/compile/rule-query.js';
import { joinFrags, param, raw, sql, type Frag } from '../../rules/compile/sql-fragment.js';

export interface TimeBounds {
  /** Only events at or after this time (ns since the epoch). */
  sinceNs?: bigint;
  /** Only events before this time. */
  untilNs?: bigint;
}

export type CandidatesResult =
  | { status: 'ok'; frag: Frag; eventTypes: string[] }
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
  const compiled = compileConditionSql(ast, joins);
  if (compiled.status !== 'ok') return compiled;
  const condition = compiled.frag;
  const where: Frag[] = [eventFilter(verdict.eventTypes), condition, raw('e.ts_ns IS NOT NULL')];
  if (bounds.sinceNs !== undefined) where.push(sql`e.ts_ns >= ${param(bounds.sinceNs)}`);
  if (bounds.untilNs !== undefined) where.push(sql`e.ts_ns < ${param(bounds.untilNs)}`);
  const frag = sql`SELECT e.exec_id AS exec_id, e.ts_ns AS ts_ns, e.process_id AS process_id, e.host_id AS host_id, COALESCE(e.container_id, '') AS box
    ${raw(joins.fromClause())}
    WHERE ${joinFrags(where, '\n      AND ')}`;
  return { status: 'ok', frag, eventTypes: verdict.eventTypes };
}
