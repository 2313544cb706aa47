import { PedigreeError } from '../util/errors.js';
import { findField, type FalcoField, type FieldSql, type FieldSqlContext } from './falco-fields.js';

/** The deepest `proc.aname[N]` the compiler joins; deeper ones are refused with a message. */
export const MAX_ANCESTOR_DEPTH = 64;

/**
 * Collects the joins that field expressions ask for and writes the FROM clause over `execs e`.
 * Used by the rule compiler and by `execs -p`.
 */
export class FieldJoins implements FieldSqlContext {
  private maxAncestor = 0;
  private needProcess = false;
  private needContainer = false;
  private needHost = false;

  ancestor(depth: number): string {
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_ANCESTOR_DEPTH) {
      throw new PedigreeError('USAGE', `ancestor depth ${depth} is out of range 0..${MAX_ANCESTOR_DEPTH}`);
    }
    if (depth > this.maxAncestor) this.maxAncestor = depth;
    return `a${depth}`;
  }
  process(): string {
    this.needProcess = true;
    return 'p';
  }
  container(): string {
    this.needContainer = true;
    return 'c';
  }
  host(): string {
    this.needHost = true;
    return 'h';
  }

  /** `FROM execs e` and the LEFT JOINs requested so far. */
  fromClause(): string {
    const parts = ['FROM execs e'];
    if (this.needProcess) parts.push('JOIN processes p ON p.process_id = e.process_id');
    if (this.needContainer) parts.push('LEFT JOIN containers c ON c.container_id = e.container_id');
    if (this.needHost) parts.push('JOIN hosts h ON h.host_id = e.host_id');
    for (let d = 1; d <= this.maxAncestor; d++) {
      const prev = d === 1 ? 'e' : `a${d - 1}`;
      parts.push(`LEFT JOIN execs a${d} ON a${d}.exec_id = ${prev}.parent_exec_id`);
    }
    return parts.join('\n');
  }
}

export interface FieldRef {
  field: FalcoField;
  arg: string | number | undefined;
  /** The name as written, e.g. `proc.aname[2]`. */
  text: string;
}

/** Parses `proc.aname[2]`, `proc.env[HOME]`, `container.label.app`, `proc.name`. */
export function parseFieldRef(text: string): FieldRef {
  const m = /^([a-zA-Z0-9_.]+?)(?:\[([^\]]*)\])?$/.exec(text);
  let name = m?.[1];
  let rawArg = m?.[2];
  if (!m || name === undefined) throw new PedigreeError('USAGE', `not a field name: ${text}`);
  let field = findField(name);
  if (!field && rawArg === undefined) {
    // container.label.KEY / k8s.pod.label.KEY dotted form
    const dotted = /^(container\.label|k8s\.pod\.label)\.(.+)$/.exec(name);
    if (dotted?.[1] && dotted[2]) {
      name = dotted[1];
      rawArg = dotted[2];
      field = findField(name);
    }
  }
  if (!field) throw new PedigreeError('USAGE', `unknown field ${name}: pedigree cannot answer it from process data (see pedigree fields)`);
  if (rawArg === undefined) {
    if (field.argRequired) throw new PedigreeError('USAGE', `field ${name} needs an argument, e.g. ${name}[KEY]`);
    return { field, arg: undefined, text };
  }
  if (field.arg === 'none') throw new PedigreeError('USAGE', `field ${name} takes no argument`);
  if (field.arg === 'depth') {
    if (!/^\d+$/.test(rawArg)) throw new PedigreeError('USAGE', `field ${name} needs a numeric ancestor depth, got [${rawArg}]`);
    return { field, arg: Number(rawArg), text };
  }
  return { field, arg: rawArg, text };
}

export function fieldSql(ref: FieldRef, joins: FieldJoins): FieldSql {
  return ref.field.build(joins, ref.arg);
}
