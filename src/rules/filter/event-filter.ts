import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { FieldJoins } from '../../fields/field-query.js';
import { compileSql, type CompiledSql, type SqlFrag } from '../../db/sql-dialect.js';
import { PedigreeError } from '../../util/errors.js';
import { visible } from '../../util/visible.js';
import type { Expr } from '../condition/ast.js';
import { ConditionSyntaxError, parseCondition } from '../condition/parser.js';
import { compileConditionSql } from '../compile/compile-condition.js';
import { conditionEvaluability } from '../compile/evaluability.js';
import { loadRulesText } from '../loader/load-rules.js';

/**
 * A sysdig/Falco filter expression given on the command line (`proc.pname=nginx and
 * container.name contains web`), compiled by the rule compiler: the same fields, operators,
 * lists and macros (from rules files named with --rules), and the same SQL.
 */
export interface EventFilter {
  text: string;
  ast: Expr;
  /** The WHERE fragment over `execs e`, asking `joins` for the tables its fields need. */
  condition(joins: FieldJoins): SqlFrag;
}

const FILTER_RULE = '__command_line_filter__';

export function loadEventFilter(text: string, rulesFiles: string[] = []): EventFilter {
  try {
    parseCondition(text);
  } catch (err) {
    if (err instanceof ConditionSyntaxError) throw new PedigreeError('USAGE', `filter: ${err.message}: ${visible(text)}`);
    throw err;
  }
  const sources = rulesFiles.map((file) => {
    try {
      return { name: file, text: readFileSync(file, 'utf8') };
    } catch {
      throw new PedigreeError('INPUT_NOT_FOUND', `cannot read rules file ${file}`);
    }
  });
  // The filter rides in a rule of its own so lists expand and macros resolve as in a rule.
  const rule = `- rule: ${FILTER_RULE}\n  desc: command-line filter\n  condition: ${JSON.stringify(text)}\n  output: filter\n  priority: INFO\n`;
  const loaded = loadRulesText([...sources, { name: 'the filter', text: rule }]);
  const ast = loaded.rules.find((r) => r.def.name === FILTER_RULE)?.ast;
  if (!ast) throw new PedigreeError('USAGE', `filter: cannot compile ${visible(text)}`);
  const verdict = conditionEvaluability(ast);
  if (!verdict.evaluable) throw new PedigreeError('USAGE', `filter: ${verdict.reason}`);
  return {
    text,
    ast,
    condition(joins) {
      const compiled = compileConditionSql(ast, joins);
      if (compiled.status === 'ok') return compiled.frag;
      throw new PedigreeError('USAGE', `filter: ${compiled.status === 'error' ? compiled.message : compiled.reason}`);
    },
  };
}

/**
 * `SELECT e.exec_id` (or `e.process_id`) of every exec row of the given kinds that matches:
 * for commands that list processes and keep those whose images match.
 */
export function filterQuery(filter: EventFilter, column: 'exec_id' | 'process_id', kinds: string[] = ['exec', 'fork', 'snapshot', 'inferred']): CompiledSql {
  const joins = new FieldJoins();
  const condition = filter.condition(joins);
  return compileSql(sql`SELECT DISTINCT e.${sql.raw(column)} ${sql.raw(joins.fromClause())} WHERE e.kind IN (${sql.join(kinds)}) AND ${condition}`);
}
