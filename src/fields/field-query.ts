import { PedigreeError } from '../util/errors.js';
import type { FalcoField, FieldSql, FieldSqlContext } from './falco-fields.js';
import { isUnansweredFalcoField, whatItNeeds } from './falco-catalogue.js';
import { lookupField } from './lookup-field.js';
import { notAFieldMessage } from './suggest-field.js';

/** The deepest `proc.aname[N]` (Falco's documented range is 0..64); deeper ones are refused with a message. */
export const MAX_ANCESTOR_DEPTH = 64;

/**
 * Ancestors up to this depth are joined one level per join (one primary-key probe each: the
 * common proc.pname, proc.aname[2], …); a deeper one is joined directly to the row a walk up
 * parent_exec_id finds, so a query never nears SQLite's limit of 64 tables in a join.
 */
const JOINED_LEVELS = 4;

/**
 * How far an any-ancestor walk (bare `proc.aname`, …) may go: a chain of distinct rows is no
 * longer than the largest exec id, so only a damaged case with a cycle ever reaches it. No
 * smaller bound: an attacker who nests deep enough must not hide an ancestor from a rule.
 */
export const ANCESTOR_WALK_BOUND_SQL = '(SELECT max(exec_id) + 1 FROM exec_rows)';

/**
 * Collects the joins that field expressions ask for and writes the FROM clause over `execs e`.
 * Used by the rule compiler and by `execs -p`.
 */
export class FieldJoins implements FieldSqlContext {
  private maxAncestor = 0;
  private readonly walkedAncestors = new Set<number>();
  private needProcess = false;
  private needContainer = false;
  private needHost = false;

  ancestor(depth: number): string {
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_ANCESTOR_DEPTH) {
      throw new PedigreeError('USAGE', `ancestor depth ${depth} is out of range 0..${MAX_ANCESTOR_DEPTH}`);
    }
    if (depth <= JOINED_LEVELS) this.maxAncestor = Math.max(this.maxAncestor, depth);
    else this.walkedAncestors.add(depth);
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
    if (this.needProcess) parts.push('JOIN processes p ON p.host_id = e.host_id AND p.process_id = e.process_id');
    if (this.needContainer) parts.push('LEFT JOIN containers c ON c.container_id = e.container_id');
    if (this.needHost) parts.push('JOIN hosts h ON h.host_id = e.host_id');
    for (let d = 1; d <= this.maxAncestor; d++) {
      const prev = d === 1 ? 'e' : `a${d - 1}`;
      parts.push(`LEFT JOIN execs a${d} ON a${d}.host_id = e.host_id AND a${d}.exec_id = ${prev}.parent_exec_id`);
    }
    // depth is an integer checked against 1..MAX_ANCESTOR_DEPTH above, like the alias it names.
    for (const d of [...this.walkedAncestors].sort((a, b) => a - b)) {
      const up = `anc_up${d}`;
      const nth = `(WITH RECURSIVE ${up}(exec_id, depth) AS (SELECT e.parent_exec_id, 1 UNION ALL SELECT r.parent_exec_id, ${up}.depth + 1 FROM ${up} JOIN exec_rows r ON r.host_id = e.host_id AND r.exec_id = ${up}.exec_id WHERE ${up}.depth < ${d}) SELECT exec_id FROM ${up} WHERE depth = ${d})`;
      parts.push(`LEFT JOIN execs a${d} ON a${d}.host_id = e.host_id AND a${d}.exec_id = ${nth}`);
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
  const name = m?.[1];
  if (!m || name === undefined) throw new PedigreeError('USAGE', `not a field name: ${text}`);
  const match = lookupField(name, m[2]);
  if (!match) {
    if (isUnansweredFalcoField(name)) {
      throw new PedigreeError('USAGE', `${name} is a Falco field pedigree knows but the case cannot answer: it needs ${whatItNeeds(name)}`);
    }
    throw new PedigreeError('USAGE', notAFieldMessage(name));
  }
  const { field } = match;
  const rawArg = match.arg;
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
