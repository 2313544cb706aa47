import type BetterSqlite3 from 'better-sqlite3';
import type { ColumnShape, TableShape } from '../case-schema.js';
import { type IdKind, type IdMap, idKindOf } from './id-remap.js';
import { pgColumnType } from './pg-layout.js';
import { PG_SAFE_TEXT_SQL, registerPgSafeText } from './pg-text-nul.js';

/**
 * SQLite builds the COPY text of a row itself: one string per row instead of one JavaScript
 * value per column, each escaped and mapped in JavaScript (100k execs: the view read and
 * encoded in 1.6 s instead of 2.1 s; 100k processes in 0.2 s instead of 0.74 s). concat_ws
 * builds the line in one pass (a chain of || copies the growing line once per column).
 */
export interface CopyLineSql {
  /** Expression giving the row's COPY line, its newline included. */
  line: string;
  /** Named parameters it binds (id offsets and the largest ids kept). */
  params: Record<string, bigint>;
}

const NULL_TEXT = "'\\N'";

/**
 * COPY text escaping (backslash, tab, newline, carriage return) in SQL: SQLite literals have no
 * escapes. A value holding a NUL goes through JavaScript (pg-text-nul.ts; SQLite's replace()
 * cannot match a NUL), registered on the connection by copyLineSql.
 */
function escapedTextSql(expr: string): string {
  const nulFree = `CASE WHEN instr(${expr}, char(0)) > 0 THEN ${PG_SAFE_TEXT_SQL}(${expr}) ELSE ${expr} END`;
  return `replace(replace(replace(replace(${nulFree}, '\\', '\\\\'), char(9), '\\t'), char(10), '\\n'), char(13), '\\r')`;
}

/**
 * One column's COPY text, or null when only JavaScript can say it (a JSON list of ids to map, a
 * map with explicit entries). A value that is not an integer in an INTEGER column is escaped as
 * text: whatever a reader stored there can never end a line or a field early.
 */
function copyValueSql(table: string, column: ColumnShape, expr: string, maps: Map<IdKind, IdMap>, params: Record<string, bigint>): string | null {
  if (column.name === 'path_json') return null;
  const type = pgColumnType(table, column.name, column.type);
  if (type === 'bytea') return `CASE WHEN ${expr} IS NULL THEN ${NULL_TEXT} ELSE '\\\\x' || lower(hex(${expr})) END`;
  if (type !== 'bigint') return `ifnull(${escapedTextSql(expr)}, ${NULL_TEXT})`;
  const kind = idKindOf(column.name);
  const map = kind ? maps.get(kind) : undefined;
  let integer = expr;
  if (kind && map) {
    if (map.explicit && map.explicit.size > 0) return null;
    if (map.offset !== 0n) {
      params[`off_${kind}`] = map.offset;
      integer = `${expr} + :off_${kind}`;
      if (map.keepUpTo !== undefined) {
        params[`keep_${kind}`] = map.keepUpTo;
        integer = `CASE WHEN ${expr} <= :keep_${kind} THEN ${expr} ELSE ${integer} END`;
      }
    }
  }
  return `CASE typeof(${expr}) WHEN 'integer' THEN ${integer} WHEN 'null' THEN ${NULL_TEXT} ELSE ${escapedTextSql(expr)} END`;
}

/**
 * The whole row's COPY line as one SQL expression over `alias` for connection `db`, or null when
 * a column needs JavaScript.
 */
export function copyLineSql(db: BetterSqlite3.Database, table: TableShape, alias: string, maps: Map<IdKind, IdMap>): CopyLineSql | null {
  const params: Record<string, bigint> = {};
  const values: string[] = [];
  for (const column of table.columns) {
    const value = copyValueSql(table.name, column, `${alias}."${column.name.replace(/"/g, '""')}"`, maps, params);
    if (value === null) return null;
    values.push(value);
  }
  registerPgSafeText(db);
  return { line: `concat_ws(char(9), ${values.join(', ')}) || char(10)`, params };
}
