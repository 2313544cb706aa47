import { findAlias, type FieldAlias } from './field-aliases.js';
import { findField, type FalcoField } from './falco-fields.js';

/** A field name (and its bracket argument) matched against the table, through aliases. */
export interface FieldMatch {
  field: FalcoField;
  /** The argument to use: the one written, or the depth an alias such as proc.parent.parent.name carries. */
  arg: string | undefined;
  /** Set when the name was an alias of a table field. */
  alias?: FieldAlias;
}

/**
 * Finds `name[arg]` in the field table: the name itself, an alias (`proc.tid`, `proc.parent.name`)
 * or the dotted label form (`container.label.app` = `container.label[app]`). Undefined when the
 * table has no such field; an alias that carries a depth takes no argument of its own.
 */
export function lookupField(name: string, arg: string | undefined): FieldMatch | undefined {
  const direct = findField(name);
  if (direct) return { field: direct, arg };
  const alias = findAlias(name);
  if (alias) {
    const field = findField(alias.name);
    if (!field || (alias.arg !== undefined && arg !== undefined)) return undefined;
    return { field, arg: alias.arg ?? arg, alias };
  }
  if (arg === undefined) {
    const dotted = /^(container\.label|k8s\.pod\.label)\.(.+)$/.exec(name);
    const field = dotted?.[1] ? findField(dotted[1]) : undefined;
    if (field && dotted?.[2]) return { field, arg: dotted[2] };
  }
  return undefined;
}
