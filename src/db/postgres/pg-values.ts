/**
 * Values read from PostgreSQL as SQLite (with safe integers) returns them, so every command
 * prints the same thing on both backends: integers and booleans as bigint, NUL-joined lists
 * (bytea here) as the same string.
 */
const INT8 = 20;
const INT2 = 21;
const INT4 = 23;
const BOOL = 16;
const NUMERIC = 1700;

interface TypeRegistry {
  setTypeParser(oid: number, parser: (value: string) => unknown): void;
}

export function installTypeParsers(types: TypeRegistry): void {
  for (const oid of [INT8, INT2, INT4]) types.setTypeParser(oid, (v) => BigInt(v));
  types.setTypeParser(BOOL, (v) => (v === 't' ? 1n : 0n));
  types.setTypeParser(NUMERIC, (v) => (/^-?\d+$/.test(v) ? BigInt(v) : Number(v)));
}

const NUL_JOINED = new Set(['env', 'cgroups']);

export function decodeRow(row: unknown[], fields: readonly { name: string }[]): unknown[] {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (Buffer.isBuffer(v) && NUL_JOINED.has(fields[i]?.name ?? '')) row[i] = v.toString('utf8');
  }
  return row;
}

/** A parameter as node-postgres sends it. */
export function encodeParam(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}
