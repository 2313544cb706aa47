import type { FalcoField } from '../../fields/falco-fields.js';
import { isUnansweredFalcoField, whatItNeeds } from '../../fields/falco-catalogue.js';
import type { FieldAlias } from '../../fields/field-aliases.js';
import { lookupField } from '../../fields/lookup-field.js';
import { notAFieldMessage } from '../../fields/suggest-field.js';
import { MAX_ANCESTOR_DEPTH } from '../../fields/field-query.js';
import type { FieldExpr } from '../condition/ast.js';
import { NotEvaluableError, RuleCompileError } from './errors.js';

/** A condition field matched against the declared field table. */
export interface ResolvedField {
  field: FalcoField;
  arg: string | number | undefined;
  /** Bare `proc.aname`-style field: true means "any ancestor". */
  anyAncestor: boolean;
  /** The name as written, e.g. `proc.aname[2]`. */
  text: string;
  /** Set when the name is an alias, e.g. `proc.parent.name` for Falco's `proc.pname`. */
  alias?: FieldAlias;
}

export function fieldText(f: FieldExpr): string {
  return f.arg === undefined ? f.name : `${f.name}[${f.arg}]`;
}

/**
 * Finds a field in the table, through its aliases (`proc.parent.name` = `proc.pname`). A Falco
 * field the table does not declare is valid Falco the case cannot answer (fd.*, evt.arg.*, …):
 * NotEvaluableError. A name that is no field at all, or a declared field used wrongly, is an
 * error, as in Falco.
 */
export function resolveField(f: FieldExpr): ResolvedField {
  const text = fieldText(f);
  const match = lookupField(f.name, f.arg);
  if (!match) {
    if (isUnansweredFalcoField(f.name)) {
      throw new NotEvaluableError(text, `${text} is a Falco field pedigree knows but the case cannot answer: it needs ${whatItNeeds(f.name)}`);
    }
    throw new RuleCompileError(notAFieldMessage(f.name), f.pos);
  }
  const { field, arg, alias } = match;
  const name = field.name;
  const withAlias = alias ? { alias } : {};
  if (arg === undefined) {
    if (field.argRequired) throw new RuleCompileError(`field ${name} needs an argument, e.g. ${name}[KEY]`, f.pos);
    return { field, arg: undefined, anyAncestor: field.ancestorColumn !== undefined, text, ...withAlias };
  }
  if (field.arg === 'none') throw new RuleCompileError(`field ${name} takes no argument`, f.pos);
  if (field.arg === 'depth') {
    if (!/^\d+$/.test(arg)) throw new RuleCompileError(`field ${name} needs a numeric ancestor depth, got [${arg}]`, f.pos);
    const depth = Number(arg);
    if (depth > MAX_ANCESTOR_DEPTH) throw new RuleCompileError(`ancestor depth ${depth} is deeper than ${MAX_ANCESTOR_DEPTH}`, f.pos);
    return { field, arg: depth, anyAncestor: false, text, ...withAlias };
  }
  return { field, arg, anyAncestor: false, text, ...withAlias };
}
