import type { FieldJoins } from '../../fields/field-query.js';
import type { Expr } from '../condition/ast.js';
import { ConditionCompiler } from './condition-compiler.js';
import { NotEvaluableError, RuleCompileError } from './errors.js';
import type { SqlFrag } from '../../db/sql-dialect.js';

export type ConditionSql =
  | { status: 'ok'; frag: SqlFrag; compiler: ConditionCompiler }
  | { status: 'not-evaluable'; blocking: string; reason: string }
  | { status: 'error'; message: string };

/** Compiles a resolved condition to a WHERE fragment, turning compile failures into verdicts. */
export function compileConditionSql(ast: Expr, joins: FieldJoins): ConditionSql {
  const compiler = new ConditionCompiler(joins);
  try {
    return { status: 'ok', frag: compiler.compile(ast), compiler };
  } catch (err) {
    if (err instanceof NotEvaluableError) return { status: 'not-evaluable', blocking: err.blocking, reason: err.message };
    if (err instanceof RuleCompileError) {
      const where = err.pos ? ` (condition line ${err.pos.line} column ${err.pos.col})` : '';
      return { status: 'error', message: `${err.message}${where}` };
    }
    throw err;
  }
}
