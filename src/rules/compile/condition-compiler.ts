import type { FieldType } from '../../fields/falco-fields.js';
import { ANCESTOR_WALK_BOUND_SQL, type FieldJoins } from '../../fields/field-query.js';
import type { BinaryCheck, Expr, FieldExpr, ListExpr, Operand, RightHandSide, UnaryCheck } from '../condition/ast.js';
import { fieldsOf, isListOperator, operandFields } from '../condition/ast.js';
import { NotEvaluableError, RuleCompileError } from './errors.js';
import { resolveField, type ResolvedField } from './field-lookup.js';
import { sql } from 'kysely';
import type { SqlFrag } from '../../db/sql-dialect.js';

/**
 * Compiles a resolved condition to one SQL boolean expression over `execs e` and the joins the
 * fields ask for. Every literal becomes a bound parameter.
 *
 * Falco is two-valued: a check on a missing value is false, and `not` of it is true. SQL's NULL
 * behaves as false under AND/OR (both are monotone), so leaves stay plain and each `not` is
 * written `NOT COALESCE(x, FALSE)`, which makes the negated part two-valued again.
 */

interface CompiledOperand {
  frag: SqlFrag;
  type: FieldType;
}

const STRING_ONLY_OPS = new Set(['contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex', 'pmatch']);
const BYTE_OPS = new Set(['bcontains', 'bstartswith']);
const BOOL_OPS = new Set(['=', '==', '!=', 'in', 'intersects']);

/** Relative cost used to order `and` children: cheap column tests first, ancestor walks last. */
function costOf(expr: Expr): number {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return expr.children.reduce((s, c) => s + costOf(c), 0);
    case 'not':
      return costOf(expr.child);
    case 'macro':
      return 1;
    case 'unary':
    case 'binary': {
      let cost = 1;
      const fields: FieldExpr[] = [];
      operandFields(expr.left, fields);
      if (expr.kind === 'binary') operandFields(expr.right, fields);
      for (const f of fields) {
        if (/^proc\.a(name|pid|exe|exepath|cmdline|args)$/.test(f.name) && f.arg === undefined) cost += 100;
        else if (f.name.startsWith('proc.a') || f.name.startsWith('proc.p')) cost += 2 + Number(f.arg ?? 1);
        else if (f.name.startsWith('container.') && f.name !== 'container.id') cost += 2;
        else if (f.name.startsWith('k8s.')) cost += 2;
      }
      if (expr.kind === 'binary' && ['glob', 'iglob', 'regex', 'pmatch'].includes(expr.op)) cost += 10;
      return cost;
    }
  }
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export class ConditionCompiler {
  private walks = 0;

  constructor(private readonly joins: FieldJoins) {}

  /**
   * `strict` (inside a `not` over a field that can be unknown): each check is 0 or 1 when its
   * field's source carried data for the row (a missing value is 0, as in Falco) and NULL when it
   * did not, so `not` of an unknown stays unknown, as in SQL.
   */
  compile(expr: Expr, strict = false): SqlFrag {
    switch (expr.kind) {
      case 'and': {
        const ordered = [...expr.children].sort((a, b) => costOf(a) - costOf(b));
        return sql`(${sql.join(
          ordered.map((c) => this.compile(c, strict)),
          sql.raw(' AND '),
        )})`;
      }
      case 'or':
        return sql`(${sql.join(
          expr.children.map((c) => this.compile(c, strict)),
          sql.raw(' OR '),
        )})`;
      case 'not':
        if (strict || this.readsUnknowable(expr.child)) return sql`(NOT ${this.compile(expr.child, true)})`;
        return sql`(NOT COALESCE(${this.compile(expr.child)}, FALSE))`;
      case 'macro':
        throw new RuleCompileError(`undefined macro '${expr.name}'`, expr.pos);
      case 'unary':
        return this.leaf(
          expr,
          this.checkWithAncestors(expr, (left) => sql`(${left.frag} IS NOT NULL)`),
          strict,
        );
      case 'binary':
        return this.leaf(
          expr,
          this.checkWithAncestors(expr, (left) => this.binary(expr, left)),
          strict,
        );
    }
  }

  /** True when the expression reads a field whose source may not have carried data (mounts, …). */
  private readsUnknowable(expr: Expr): boolean {
    return fieldsOf(expr).some((f) => {
      try {
        return resolveField(f).field.known !== undefined;
      } catch {
        return false;
      }
    });
  }

  private leaf(check: UnaryCheck | BinaryCheck, frag: SqlFrag, strict: boolean): SqlFrag {
    if (!strict) return frag;
    const fields: FieldExpr[] = [];
    operandFields(check.left, fields);
    if (check.kind === 'binary') operandFields(check.right, fields);
    const guards = fields.flatMap((f) => {
      const known = resolveField(f).field.known;
      return known ? [sql.raw(known(this.joins))] : [];
    });
    if (guards.length === 0) return sql`COALESCE(${frag}, FALSE)`;
    return sql`(CASE WHEN ${sql.join(guards, sql.raw(' AND '))} THEN COALESCE(${frag}, FALSE) END)`;
  }

  /**
   * Compiles a check; when its left side reads a bare ancestor field (`proc.aname`), the check
   * runs on each ancestor in turn (a walk up `parent_exec_id` from this row, to the oldest
   * ancestor whatever the depth) and is true if any ancestor satisfies it.
   */
  private checkWithAncestors(check: UnaryCheck | BinaryCheck, build: (left: CompiledOperand) => SqlFrag): SqlFrag {
    const bare = this.bareAncestorFields(check.left);
    if (bare.length === 0) return build(this.operand(check.left));
    if (bare.length > 1) throw new RuleCompileError('a check can use only one any-ancestor field (proc.aname, proc.apid, …)', check.pos);
    const column = (bare[0] as ResolvedField).field.ancestorColumn as string;
    const n = ++this.walks;
    const walk = sql.raw(`anc${n}`);
    const step = sql.raw(`anc${n}_step`);
    const col = sql.raw(column);
    // The walk carries the compared column along, so each level costs one primary-key lookup;
    // EXISTS stops at the first ancestor that satisfies the check.
    const predicate = build(this.operand(check.left, `anc${n}`));
    return sql`EXISTS (WITH RECURSIVE ${walk}(exec_id, parent_exec_id, ${col}, depth) AS (SELECT ${step}.exec_id, ${step}.parent_exec_id, ${step}.${col}, 1 FROM execs ${step} WHERE ${step}.host_id = e.host_id AND ${step}.exec_id = e.parent_exec_id UNION ALL SELECT ${step}.exec_id, ${step}.parent_exec_id, ${step}.${col}, ${walk}.depth + 1 FROM ${walk} JOIN execs ${step} ON ${step}.host_id = e.host_id AND ${step}.exec_id = ${walk}.parent_exec_id WHERE ${walk}.depth < ${sql.raw(ANCESTOR_WALK_BOUND_SQL)}) SELECT 1 FROM ${walk} WHERE ${predicate})`;
  }

  private bareAncestorFields(o: Operand): ResolvedField[] {
    const fields: FieldExpr[] = [];
    operandFields(o, fields);
    return fields.map(resolveField).filter((f) => f.anyAncestor);
  }

  /** SQL for a field or transformer; `ancestorRow` is the alias a bare ancestor field reads from. */
  operand(o: Operand, ancestorRow?: string): CompiledOperand {
    if (o.kind === 'field') {
      const f = resolveField(o);
      if (f.anyAncestor) {
        if (!ancestorRow) throw new RuleCompileError(`${f.text} (any ancestor) cannot be used here`, o.pos);
        return { frag: sql.raw(`${ancestorRow}.${f.field.ancestorColumn}`), type: f.field.type };
      }
      return { frag: f.field.build(this.joins, f.arg), type: f.field.type };
    }
    const args = o.args.map((a) => {
      if (a.kind === 'field' || a.kind === 'transformer') return this.operand(a, ancestorRow);
      throw new RuleCompileError(`${o.name}() takes a field here`, o.pos);
    });
    const single = (): CompiledOperand => {
      if (args.length !== 1) throw new RuleCompileError(`${o.name}() takes exactly one argument`, o.pos);
      return args[0] as CompiledOperand;
    };
    switch (o.name) {
      case 'tolower':
        return { frag: sql`lower(${this.stringArg(single(), o.name, o)})`, type: 'string' };
      case 'toupper':
        return { frag: sql`upper(${this.stringArg(single(), o.name, o)})`, type: 'string' };
      case 'b64':
        return { frag: sql`pedigree_b64decode(${this.stringArg(single(), o.name, o)})`, type: 'string' };
      case 'basename':
        return { frag: sql`pedigree_basename(${this.stringArg(single(), o.name, o)})`, type: 'string' };
      case 'len':
        return { frag: sql`length(${single().frag})`, type: 'int' };
      case 'join':
      case 'concat':
      case 'getopt':
        throw new NotEvaluableError(`${o.name}()`, `transformer ${o.name}() works on list fields, which process data does not have`);
    }
  }

  private stringArg(arg: CompiledOperand, name: string, o: Operand): SqlFrag {
    if (arg.type !== 'string') throw new RuleCompileError(`${name}() needs a string field`, o.pos);
    return arg.frag;
  }

  // ---- binary checks

  private binary(check: BinaryCheck, left: CompiledOperand): SqlFrag {
    const op = check.op;
    const type = left.type;
    if (BYTE_OPS.has(op)) throw new RuleCompileError(`operator ${op} needs a byte-buffer field`, check.pos);
    if (type !== 'string' && STRING_ONLY_OPS.has(op)) {
      throw new RuleCompileError(`operator ${op} cannot be used on ${type} field ${describeOperand(check.left)}`, check.pos);
    }
    if (type === 'bool' && !BOOL_OPS.has(op)) {
      throw new RuleCompileError(`operator ${op} cannot be used on bool field ${describeOperand(check.left)}`, check.pos);
    }
    const right = check.right;
    switch (right.kind) {
      case 'value':
        return this.compareValue(op, left, this.typed(right.value, type, check), check);
      case 'list':
        return this.compareList(check, left, right);
      case 'field-value':
      case 'transformer':
        return this.compareField(check, left, right);
    }
  }

  /** A literal parsed as the left side's type (numbers for numeric fields, 1/0 for bools). */
  private typed(value: string, type: FieldType, check: BinaryCheck): unknown {
    switch (type) {
      case 'string':
        // Falco compares strings as C strings (strcmp, strstr): a value ends at its first NUL.
        return value.includes('\0') ? value.slice(0, value.indexOf('\0')) : value;
      case 'bool':
        if (value === 'true') return 1n;
        if (value === 'false') return 0n;
        throw new RuleCompileError(`'${value}' is not a bool value (true or false) for ${describeOperand(check.left)}`, check.pos);
      case 'int':
      case 'abstime':
      case 'reltime': {
        const v = value.trim();
        if (/^[+-]?\d+$/.test(v)) return BigInt(v);
        if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(v)) return v.startsWith('-') ? -BigInt(v.slice(1)) : BigInt(v.replace(/^\+/, ''));
        if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(v)) return Number(v);
        throw new RuleCompileError(`'${value}' is not a number for numeric field ${describeOperand(check.left)}`, check.pos);
      }
    }
  }

  private compareValue(op: string, left: CompiledOperand, value: unknown, check: BinaryCheck): SqlFrag {
    const x = left.frag;
    switch (op) {
      case '=':
      case '==':
      case 'in':
      case 'intersects':
        return sql`${x} = ${sql.val(value)}`;
      case '!=':
        return sql`${x} <> ${sql.val(value)}`;
      case '<':
      case '<=':
      case '>':
      case '>=':
        return sql`${x} ${sql.raw(op)} ${sql.val(value)}`;
      case 'contains':
        return sql`instr(${x}, ${sql.val(value)}) > 0`;
      case 'icontains':
        return sql`instr(lower(${x}), ${sql.val(asciiLower(String(value)))}) > 0`;
      case 'startswith':
        return value === '' ? sql`${x} IS NOT NULL` : sql`substr(${x}, 1, length(${sql.val(value)})) = ${sql.val(value)}`;
      case 'endswith':
        return value === '' ? sql`${x} IS NOT NULL` : sql`substr(${x}, -length(${sql.val(value)})) = ${sql.val(value)}`;
      case 'glob':
        return sql`falco_glob(${sql.val(value)}, ${x})`;
      case 'iglob':
        return sql`falco_glob(${sql.val(value)}, ${x}, 1)`;
      case 'regex':
        return sql`falco_regex(${sql.val(value)}, ${x})`;
      case 'pmatch':
        return sql`falco_pmatch(${x}, ${sql.val(JSON.stringify([value]))})`;
      default:
        throw new RuleCompileError(`operator ${op} is not supported here`, check.pos);
    }
  }

  private compareList(check: BinaryCheck, left: CompiledOperand, list: ListExpr): SqlFrag {
    const values = list.items.map((i) => this.typed(i.value, left.type, check));
    if (check.modifier) {
      const leaves = values.map((v) => this.compareValue(check.op, left, v, check));
      if (leaves.length === 0) return check.modifier === 'allof' ? sql`(${left.frag} IS NOT NULL)` : sql.raw('FALSE');
      if (check.modifier === 'anyof') return sql`(${sql.join(leaves, sql.raw(' OR '))})`;
      if (check.modifier === 'allof') return sql`(${sql.join(leaves, sql.raw(' AND '))})`;
      return sql`((${sql.join(
        leaves.map((l) => sql`CAST(COALESCE(${l}, FALSE) AS INTEGER)`),
        sql.raw(' + '),
      )}) = 1)`;
    }
    if (!isListOperator(check.op)) throw new RuleCompileError(`operator ${check.op} takes a single value, not a list`, check.pos);
    if (values.length === 0) return sql.raw('FALSE');
    if (check.op === 'pmatch') return sql`falco_pmatch(${left.frag}, ${sql.val(JSON.stringify(values))})`;
    // A long list is one JSON array parameter: one variable each would exceed SQLite's limit
    // on bound variables (32766) with a Falco list of that size.
    if (values.length > INLINE_LIST_MAX) return sql`${left.frag} IN (SELECT value FROM json_each(${sql.val(jsonArray(values))}))`;
    return sql`${left.frag} IN (${sql.join(values)})`;
  }

  private compareField(check: BinaryCheck, left: CompiledOperand, right: Extract<RightHandSide, { kind: 'field-value' | 'transformer' }>): SqlFrag {
    if (check.modifier) throw new RuleCompileError('operator modifiers take a list of values', check.pos);
    const operand = right.kind === 'field-value' ? right.field : right;
    if (this.bareAncestorFields(operand).length > 0) {
      throw new RuleCompileError('any-ancestor fields (proc.aname, …) cannot be compared with val()', check.pos);
    }
    const r = this.operand(operand);
    if (r.type !== left.type && !(isNumeric(r.type) && isNumeric(left.type))) {
      throw new RuleCompileError(`cannot compare ${left.type} with ${r.type} field ${describeOperand(operand)}`, check.pos);
    }
    const x = left.frag;
    const y = r.frag;
    switch (check.op) {
      case '=':
      case '==':
      case 'in':
      case 'intersects':
        return sql`${x} = ${y}`;
      case '!=':
        return sql`${x} <> ${y}`;
      case '<':
      case '<=':
      case '>':
      case '>=':
        return sql`${x} ${sql.raw(check.op)} ${y}`;
      case 'contains':
        return sql`instr(${x}, ${y}) > 0`;
      case 'icontains':
        return sql`instr(lower(${x}), lower(${y})) > 0`;
      case 'startswith':
        return sql`substr(${x}, 1, length(${y})) = ${y}`;
      case 'endswith':
        return sql`(CASE WHEN length(${y}) = 0 THEN ${x} IS NOT NULL ELSE substr(${x}, -length(${y})) = ${y} END)`;
      case 'glob':
        return sql`falco_glob(${y}, ${x})`;
      case 'iglob':
        return sql`falco_glob(${y}, ${x}, 1)`;
      default:
        throw new RuleCompileError(`operator ${check.op} cannot compare two fields`, check.pos);
    }
  }
}

/** Lists longer than this are bound as one JSON array instead of one variable per item. */
const INLINE_LIST_MAX = 100;

/** A JSON array of typed list values; 64-bit integers keep every digit (JSON.stringify cannot). */
function jsonArray(values: unknown[]): string {
  return `[${values.map((v) => (typeof v === 'bigint' ? v.toString() : JSON.stringify(v))).join(',')}]`;
}

function isNumeric(t: FieldType): boolean {
  return t === 'int' || t === 'abstime' || t === 'reltime';
}

function describeOperand(o: Operand): string {
  if (o.kind === 'field') return o.arg === undefined ? o.name : `${o.name}[${o.arg}]`;
  return `${o.name}(…)`;
}
