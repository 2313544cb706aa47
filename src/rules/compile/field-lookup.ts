import { findField, type FalcoField } from '../../fields/falco-fields.js';
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
}

export function fieldText(f: FieldExpr): string {
  return f.arg === undefined ? f.name : `${f.name}[${f.arg}]`;
}

/**
 * Finds a field in the table. A field the table does not declare is valid Falco the case cannot
 * answer (fd.*, evt.arg.*, …): NotEvaluableError. A declared field used wrongly is an error.
 */
export function resolveField(f: FieldExpr): ResolvedField {
  let name = f.name;
  let arg: string | undefined = f.arg;
  let field = findField(name);
  if (!field && arg === undefined) {
    const dotted = /^(container\.label|k8s\.pod\.label)\.(.+)$/.exec(name);
    if (dotted?.[1] && dotted[2]) {
      name = dotted[1];
      arg = dotted[2];
      field = findField(name);
    }
  }
  const text = fieldText(f);
  if (!field) throw new NotEvaluableError(text, `field ${text} is not in the process data pedigree holds`);
  if (arg === undefined) {
    if (field.argRequired) throw new RuleCompileError(`field ${name} needs an argument, e.g. ${name}[KEY]`, f.pos);
    return { field, arg: undefined, anyAncestor: field.ancestorColumn !== undefined, text };
  }
  if (field.arg === 'none') throw new RuleCompileError(`field ${name} takes no argument`, f.pos);
  if (field.arg === 'depth') {
    if (!/^\d+$/.test(arg)) throw new RuleCompileError(`field ${name} needs a numeric ancestor depth, got [${arg}]`, f.pos);
    const depth = Number(arg);
    if (depth > MAX_ANCESTOR_DEPTH) throw new RuleCompileError(`ancestor depth ${depth} is deeper than ${MAX_ANCESTOR_DEPTH}`, f.pos);
    return { field, arg: depth, anyAncestor: false, text };
  }
  return { field, arg, anyAncestor: false, text };
}
