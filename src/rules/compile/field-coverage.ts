import { sql } from 'kysely';
import { compileSql } from '../../db/sql-dialect.js';
import type { Db } from '../../db/open.js';
import { FieldJoins } from '../../fields/field-query.js';
import { fieldsOf, type Expr, type FieldExpr } from '../condition/ast.js';
import { NotEvaluableError, RuleCompileError } from './errors.js';
import { resolveField } from './field-lookup.js';

/**
 * Field coverage of a case: which fields a rule reads that no row of the case has a value for,
 * so `rules check --db` can say "container.mount.* : no source in this case carried mounts"
 * instead of letting a silent rule pass for a clean one. Each field is probed once per case
 * (one `LIMIT 1` query) and remembered.
 */
export class FieldCoverage {
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly db: Db) {}

  /** One line per uncovered field (or field family) the expressions read. */
  gaps(exprs: Expr[]): string[] {
    const out = new Set<string>();
    for (const expr of exprs) {
      for (const f of fieldsOf(expr)) {
        const gap = this.gap(f);
        if (gap) out.add(gap);
      }
    }
    return [...out];
  }

  private gap(f: FieldExpr): string | null {
    let resolved: ReturnType<typeof resolveField>;
    try {
      resolved = resolveField(f);
    } catch (err) {
      if (err instanceof NotEvaluableError || err instanceof RuleCompileError) return null;
      throw err;
    }
    // Ancestor fields are probed at depth 1: no parent anywhere means no ancestor either.
    const { field } = resolved;
    const keyed = field.argRequired === true && !field.known;
    const key = field.known ? `known:${field.coverage}` : keyed ? resolved.text : field.name;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const joins = new FieldJoins();
    const probe = field.known
      ? sql.raw(field.known(joins))
      : sql`${field.build(joins, field.ancestorColumn !== undefined ? 1 : keyed ? resolved.arg : undefined)} IS NOT NULL`;
    const query = compileSql(sql`SELECT 1 AS hit ${sql.raw(joins.fromClause())} WHERE ${probe} LIMIT 1`);
    const hit = this.db.prepare(query.sql).get(...query.parameters) !== undefined;
    const family = field.known ? `${field.name.slice(0, field.name.lastIndexOf('.'))}.*` : keyed ? resolved.text : field.name;
    const gap = hit ? null : `${family}: ${field.coverage ?? 'no row of this case has a value'}`;
    this.cache.set(key, gap);
    return gap;
  }
}
