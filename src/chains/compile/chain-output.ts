import { FieldJoins } from '../../fields/field-query.js';
import { ConditionCompiler } from '../../rules/compile/condition-compiler.js';
import { outputExpression, type OutputColumn } from '../../rules/compile/rule-query.js';
import { sql } from 'kysely';
import { compileSql, type SqlFrag } from '../../db/sql-dialect.js';
import type { LoadedChain } from '../../rules/loader/load-rules.js';
import { parseOutputFormat, type OutputPart } from '../../rules/output/output-format.js';

/** One query per step the output reads: its `%fields` for one exec row. */
export interface StepFieldQuery {
  step: number;
  sql: string;
  /** Parameters before the exec id, which is bound last. */
  parameters: unknown[];
}

/**
 * A chain's output: the parts (scoped fields keep their `step.` prefix in `text`), the result
 * column of each field part (null: the case cannot answer it, printed `<NA>`), and the queries
 * that fill those columns. Column aliases are unique across steps, so the rows of all step
 * queries merge into one row for rendering.
 */
export interface ChainOutput {
  parts: OutputPart[];
  columns: (OutputColumn | null)[];
  queries: StepFieldQuery[];
}

export function compileChainOutput(chain: LoadedChain): ChainOutput {
  const names = chain.steps.map((s) => s.def.name);
  const last = names.length - 1;
  const parsed = parseOutputFormat(chain.def.output, names);
  const perStep = new Map<number, { compiler: ConditionCompiler; joins: FieldJoins; selects: SqlFrag[] }>();
  const seen = new Map<string, OutputColumn | null>();
  const columns: (OutputColumn | null)[] = [];
  const parts: OutputPart[] = parsed.map((p) => (p.kind === 'field' && p.scope ? { ...p, text: `${p.scope}.${p.text}` } : p));
  for (const part of parts) {
    if (part.kind !== 'field') continue;
    if (seen.has(part.text)) {
      columns.push(seen.get(part.text) ?? null);
      continue;
    }
    const step = part.scope !== undefined ? names.indexOf(part.scope) : last;
    let entry = perStep.get(step);
    if (!entry) {
      const joins = new FieldJoins();
      entry = { joins, compiler: new ConditionCompiler(joins), selects: [] };
      perStep.set(step, entry);
    }
    const expr = outputExpression(part.operand, entry.compiler);
    const alias = `s${step}_o${seen.size}`;
    const column = expr ? { alias, type: expr.type, field: part.operand.kind === 'field' ? part.operand.name : part.text } : null;
    if (expr) entry.selects.push(sql`${expr.frag} AS ${sql.raw(alias)}`);
    seen.set(part.text, column);
    columns.push(column);
  }
  const queries: StepFieldQuery[] = [];
  for (const [step, entry] of perStep) {
    if (entry.selects.length === 0) continue;
    const q = compileSql(sql`SELECT ${sql.join(entry.selects, sql.raw(', '))} ${sql.raw(entry.joins.fromClause())} WHERE e.exec_id = ${sql.val(null)}`);
    queries.push({ step, sql: q.sql, parameters: q.parameters.slice(0, -1) });
  }
  return { parts, columns, queries };
}
