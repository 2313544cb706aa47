import type BetterSqlite3 from 'better-sqlite3';
import { FieldJoins, fieldSql, parseFieldRef, type FieldRef } from '../fields/field-query.js';
import { sql } from 'kysely';
import { compileSql, type SqlFrag } from '../db/sql-dialect.js';
import { PedigreeError } from '../util/errors.js';
import { NA, renderFieldValue } from './render-value.js';

/** A `-p` format string split into literal text and field references. */
export interface OutputFormat {
  /** A leading `*`: print rows whose fields are missing, as `<NA>`, instead of dropping them. */
  printMissing: boolean;
  parts: (string | FieldRef)[];
  fields: FieldRef[];
}

const FIELD_TOKEN = /%([a-zA-Z][a-zA-Z0-9_.]*(?:\[[^\]]*\])?)/g;

/**
 * Parses sysdig's -p syntax: `%field` tokens (with `[arg]`), backslash escapes `\t` `\n` `\\`,
 * and an optional leading `*`. Unknown fields are an error, not a silent `<NA>`.
 */
export function parseOutputFormat(format: string): OutputFormat {
  let text = format;
  const printMissing = text.startsWith('*');
  if (printMissing) text = text.slice(1);
  text = text.replace(/\\([tn\\])/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\'));
  const parts: (string | FieldRef)[] = [];
  const fields: FieldRef[] = [];
  let last = 0;
  for (const m of text.matchAll(FIELD_TOKEN)) {
    const index = m.index ?? 0;
    if (index > last) parts.push(text.slice(last, index));
    let name = m[1] ?? '';
    // sysdig allows a trailing '.' or ':' right after a field; keep it as text.
    let trailing = '';
    while (/[.]$/.test(name)) {
      trailing = name.slice(-1) + trailing;
      name = name.slice(0, -1);
    }
    const ref = parseFieldRef(name);
    parts.push(ref);
    fields.push(ref);
    if (trailing) parts.push(trailing);
    last = index + (m[0]?.length ?? 0);
  }
  if (last < text.length) parts.push(text.slice(last));
  if (fields.length === 0) throw new PedigreeError('USAGE', `the format has no %field: ${format}`);
  return { printMissing, parts, fields };
}

export interface CompiledFormat {
  sql: string;
  params: unknown[];
  render(row: unknown[]): string | null;
  /** Each field's value (booleans as true/false, missing as null); null when the row is dropped. */
  values(row: unknown[]): unknown[] | null;
  /** Each field's text as written in the format (`proc.aname[2]`), the keys of --json and --csv. */
  fieldNames: string[];
  fields: FieldRef[];
}

/**
 * One SELECT producing, per exec row, the values the format needs. `where` is extra SQL over
 * alias e (user-supplied, run only on read-only connections); `condition` a compiled filter.
 */
export function compileOutputFormat(
  fmt: OutputFormat,
  options: { where?: string; kinds?: string[]; captureId?: number; limit?: number; condition?: (joins: FieldJoins) => SqlFrag },
): CompiledFormat {
  const joins = new FieldJoins();
  const selects = fmt.fields.map((ref) => fieldSql(ref, joins));
  const kinds = options.kinds ?? ['exec'];
  const where: SqlFrag[] = [sql`e.kind IN (${sql.join(kinds, sql.raw(','))})`];
  if (options.captureId !== undefined) where.push(sql`e.capture_id = ${options.captureId}`);
  // A compiled filter expression (values bound), asking for the joins its fields need.
  if (options.condition) where.push(options.condition(joins));
  // The user's own WHERE text, run only on read-only connections.
  if (options.where) where.push(sql`(${sql.raw(options.where)})`);
  const limit = options.limit !== undefined ? sql` LIMIT ${options.limit}` : sql.raw('');
  const compiled = compileSql(sql`SELECT ${sql.join(selects)}
${sql.raw(joins.fromClause())}
WHERE ${sql.join(where, sql.raw(' AND '))}
ORDER BY e.capture_id, e.evt_num, e.ts_ns, e.exec_id${limit}`);
  return {
    sql: compiled.sql,
    params: compiled.parameters,
    fieldNames: fmt.fields.map((f) => f.text),
    fields: fmt.fields,
    values(row) {
      const out: unknown[] = [];
      for (let i = 0; i < fmt.fields.length; i++) {
        const value = row[i];
        if ((value === null || value === undefined) && !fmt.printMissing) return null;
        const type = fmt.fields[i]?.field.type;
        out.push(value === null || value === undefined ? null : type === 'bool' ? value === true || value === 1 || value === 1n || value === '1' : value);
      }
      return out;
    },
    render(row) {
      let out = '';
      let i = 0;
      for (const part of fmt.parts) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        const value = row[i++];
        if ((value === null || value === undefined) && !fmt.printMissing) return null;
        out += renderFieldValue(value, part.field.type, part.field.name);
      }
      return out;
    },
  };
}

/** Runs a compiled format and calls `write` for each rendered line. */
export function runOutputFormat(db: BetterSqlite3.Database, compiled: CompiledFormat, write: (line: string) => void): number {
  let n = 0;
  const stmt = db.prepare(compiled.sql).raw(true);
  for (const row of stmt.iterate(...compiled.params) as Iterable<unknown[]>) {
    const line = compiled.render(row);
    if (line !== null) {
      write(line);
      n += 1;
    }
  }
  return n;
}

export { NA };
