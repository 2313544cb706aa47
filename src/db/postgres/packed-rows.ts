/**
 * Result rows packed by column for the trip from the PostgreSQL worker to the caller's thread.
 Structured clone copies a row array value by value, and BigInts slowly: the 1,000 rows of 28
 * columns of a subtree took 7.5 ms to post and receive that way against 1.5 ms packed (a column
 * of integers as one BigInt64Array and a null mask, every other column as one array), on a
 * loaded machine; end to end, 2 ms less CPU per such subtree. Sending a column of strings as one
 * string and its offsets saved nothing more.
 */
export type PackedColumn = { ints: BigInt64Array; nulls: Uint8Array } | { values: unknown[] };

export interface PackedRows {
  count: number;
  columns: PackedColumn[];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function intColumn(rows: readonly (readonly unknown[])[], c: number): PackedColumn | undefined {
  const ints = new BigInt64Array(rows.length);
  const nulls = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as readonly unknown[])[c];
    if (v === null) nulls[i] = 1;
    else if (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX) ints[i] = v;
    else return undefined; // not all 64-bit integers (or a numeric wider than them): kept as values
  }
  return { ints, nulls };
}

export function packRows(rows: readonly (readonly unknown[])[], width: number): PackedRows {
  const columns: PackedColumn[] = [];
  for (let c = 0; c < width; c++) columns.push(intColumn(rows, c) ?? { values: rows.map((r) => r[c]) });
  return { count: rows.length, columns };
}

/** The buffers of a packed result, to transfer rather than copy. */
export function packedBuffers(packed: PackedRows): ArrayBuffer[] {
  return packed.columns.flatMap((col) => ('ints' in col ? [col.ints.buffer as ArrayBuffer, col.nulls.buffer as ArrayBuffer] : []));
}

export function unpackRows(packed: PackedRows): unknown[][] {
  const rows: unknown[][] = new Array(packed.count);
  const width = packed.columns.length;
  for (let i = 0; i < packed.count; i++) rows[i] = new Array(width);
  for (let c = 0; c < width; c++) {
    const col = packed.columns[c] as PackedColumn;
    if ('ints' in col) {
      const { ints, nulls } = col;
      for (let i = 0; i < packed.count; i++) (rows[i] as unknown[])[c] = nulls[i] === 1 ? null : ints[i];
    } else {
      const { values } = col;
      for (let i = 0; i < packed.count; i++) (rows[i] as unknown[])[c] = values[i];
    }
  }
  return rows;
}
