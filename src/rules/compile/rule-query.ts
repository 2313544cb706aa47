import type { FieldType } from '../../fields/falco-fields.js';
import { ANCESTOR_WALK_BOUND_SQL, FieldJoins } from '../../fields/field-query.js';
import type { Expr, Operand } from '../condition/ast.js';
import type { DroppedBranch } from './partial.js';
import type { LoadedRule } from '../loader/load-rules.js';
import { parseOutputFormat, type OutputPart } from '../output/output-format.js';
import type { ConditionCompiler } from './condition-compiler.js';
import { NotEvaluableError, RuleCompileError } from './errors.js';
import { compileConditionSql } from './compile-condition.js';
import { HELD_EVENT_TYPES, evaluability } from './evaluability.js';
import { resolveField } from './field-lookup.js';
import { sql } from 'kysely';
import { compileSql, type SqlFrag } from '../../db/sql-dialect.js';

/** The SQL for one rule, in the manner of kysely's CompiledQuery. */
export interface CompiledRule {
  rule: LoadedRule;
  sql: string;
  parameters: unknown[];
  eventTypes: string[];
  /** The condition run, when branches were dropped from the rule's (a partial rule). */
  reduced?: { ast: Expr; dropped: DroppedBranch[] };
  /** The rule's output, with the result column of each `%field` (null: not in the case → <NA>). */
  output: { parts: OutputPart[]; columns: (OutputColumn | null)[] };
}

export interface OutputColumn {
  alias: string;
  type: FieldType;
  field: string;
}

export type RuleVerdict =
  | { status: 'evaluable'; compiled: CompiledRule }
  | { status: 'not-evaluable'; blocking: string; reason: string }
  | { status: 'error'; message: string };

export interface RuleQueryOptions {
  /** Only events at or after this time (ns since the epoch). */
  sinceNs?: bigint;
  /** Only events before this time (ns since the epoch). */
  untilNs?: bigint;
}

/**
 * Compiles a rule to one SELECT over the exec rows it can match:
 *
 *   SELECT e.exec_id, e.ts_ns, e.evt_num, e.host_id, <output fields> AS o0, …
 *   FROM execs e LEFT JOIN … (only the joins the fields need)
 *   WHERE <event kind/type filter> AND <condition> [AND e.ts_ns >= ? AND e.ts_ns < ?]
 */
export function compileRule(rule: LoadedRule, options: RuleQueryOptions = {}): RuleVerdict {
  const verdict = evaluability(rule);
  if (!verdict.evaluable) return { status: 'not-evaluable', blocking: verdict.blocking, reason: verdict.reason };
  const joins = new FieldJoins();
  const compiled = compileConditionSql(verdict.ast, joins);
  if (compiled.status !== 'ok') return compiled;
  const { frag: condition, compiler } = compiled;
  const parts = parseOutputFormat(rule.def.output);
  const selects: SqlFrag[] = [sql.raw('e.exec_id AS exec_id, e.ts_ns AS ts_ns, e.evt_num AS evt_num, e.host_id AS host_id')];
  const columns: (OutputColumn | null)[] = [];
  const seen = new Map<string, OutputColumn | null>();
  for (const part of parts) {
    if (part.kind !== 'field') continue;
    if (seen.has(part.text)) {
      columns.push(seen.get(part.text) ?? null);
      continue;
    }
    const alias = `o${selects.length - 1}`;
    const expr = outputExpression(part.operand, compiler);
    const column = expr ? { alias, type: expr.type, field: part.text } : null;
    if (expr) selects.push(sql`${expr.frag} AS ${sql.raw(alias)}`);
    seen.set(part.text, column);
    columns.push(column);
  }
  const where: SqlFrag[] = [eventFilter(verdict.eventTypes), condition];
  if (options.sinceNs !== undefined) where.push(sql`e.ts_ns >= ${sql.val(options.sinceNs)}`);
  if (options.untilNs !== undefined) where.push(sql`e.ts_ns < ${sql.val(options.untilNs)}`);
  const query = sql`SELECT ${sql.join(selects, sql.raw(', '))}\n${sql.raw(joins.fromClause())}\nWHERE ${sql.join(where, sql.raw('\n  AND '))}`;
  return {
    status: 'evaluable',
    compiled: {
      rule,
      ...compileSql(query),
      eventTypes: verdict.eventTypes,
      ...(verdict.dropped.length > 0 ? { reduced: { ast: verdict.ast, dropped: verdict.dropped } } : {}),
      output: { parts, columns },
    },
  };
}

/** Rows of the right kind: exec rows for execve/execveat, fork rows for clone/fork/vfork. */
export function eventFilter(types: string[]): SqlFrag {
  const execTypes = types.filter((t) => HELD_EVENT_TYPES[t] === 'exec');
  const forkTypes = types.filter((t) => HELD_EVENT_TYPES[t] === 'fork');
  const parts: SqlFrag[] = [];
  if (execTypes.length === 2) parts.push(sql`e.kind = ${sql.val('exec')}`);
  else if (execTypes.length > 0) parts.push(sql`(e.kind = ${sql.val('exec')} AND e.evt_type IN (${sql.join(execTypes)}))`);
  if (forkTypes.length > 0) parts.push(sql`(e.kind = ${sql.val('fork')} AND e.evt_type IN (${sql.join(forkTypes)}))`);
  if (parts.length === 0) return sql.raw('FALSE');
  return parts.length === 1 ? (parts[0] as SqlFrag) : sql`(${sql.join(parts, sql.raw(' OR '))})`;
}

/** SQL for one output field; null when the case cannot answer it (printed as <NA>). */
export function outputExpression(o: Operand, compiler: ConditionCompiler): { frag: SqlFrag; type: FieldType } | null {
  try {
    if (o.kind === 'field') {
      const f = resolveField(o);
      if (f.anyAncestor) {
        // Falco prints the whole chain, nearest first; bare proc.apid prints the process's own pid.
        if (f.field.name === 'proc.apid') return { frag: sql.raw('e.pid'), type: f.field.type };
        const column = sql.raw(`anc_out.${f.field.ancestorColumn}`);
        return {
          frag: sql`(WITH RECURSIVE anc_walk(exec_id, depth) AS (SELECT e.parent_exec_id, 1 UNION ALL SELECT s.parent_exec_id, anc_walk.depth + 1 FROM anc_walk JOIN execs s ON s.host_id = e.host_id AND s.exec_id = anc_walk.exec_id WHERE anc_walk.depth < ${sql.raw(ANCESTOR_WALK_BOUND_SQL)} AND s.parent_exec_id IS NOT NULL) SELECT group_concat(v, ' ') FROM (SELECT ${column} AS v FROM anc_walk JOIN execs anc_out ON anc_out.host_id = e.host_id AND anc_out.exec_id = anc_walk.exec_id ORDER BY anc_walk.depth) AS anc_values)`,
          type: 'string',
        };
      }
    }
    return compiler.operand(o);
  } catch (err) {
    if (err instanceof NotEvaluableError || err instanceof RuleCompileError) return null;
    throw err;
  }
}
