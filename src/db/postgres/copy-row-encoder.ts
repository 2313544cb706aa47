import type { TableShape } from '../case-schema.js';
import { copyTextValue } from './copy-text.js';
import { type IdKind, type IdMap, idKindOf, mapId } from './id-remap.js';
import { pgColumnType } from './pg-layout.js';

/** Turns one row of a case table (as SQLite returns it, raw) into a line of COPY text, ids mapped. */
export function copyLineEncoder(table: TableShape, maps: Map<IdKind, IdMap>): (row: unknown[]) => string {
  const transforms = table.columns.map((c) => {
    const bytea = pgColumnType(table.name, c.name, c.type) === 'bytea';
    const kind = idKindOf(c.name);
    const map = kind ? maps.get(kind) : undefined;
    if (c.name === 'path_json') {
      const execs = maps.get('exec');
      return (v: unknown) =>
        copyTextValue(v === null ? null : JSON.stringify((JSON.parse(String(v)) as number[]).map((id) => Number(mapId(execs, BigInt(id))))), false);
    }
    return (v: unknown) => copyTextValue(map ? mapId(map, v) : v, bytea);
  });
  return (row) => {
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i > 0 ? '\t' : '') + (transforms[i] as (v: unknown) => string)(row[i]);
    return `${line}\n`;
  };
}

/**
 * Rows (or lines SQLite already encoded) as COPY text in chunks of `rowsPerChunk` lines: small, so that PostgreSQL parses one chunk
 * while the next is read. `keep` leaves rows out; `counted` hears of each row sent.
 */
export function* copyChunks<Row>(
  rows: Iterable<Row>,
  encode: (row: Row) => string,
  options: { rowsPerChunk: number; keep?: (row: Row) => boolean; counted?: () => void },
): Generator<string> {
  let chunk = '';
  let n = 0;
  for (const row of rows) {
    if (options.keep && !options.keep(row)) continue;
    chunk += encode(row);
    options.counted?.();
    if (++n === options.rowsPerChunk) {
      yield chunk;
      chunk = '';
      n = 0;
    }
  }
  if (chunk) yield chunk;
}
