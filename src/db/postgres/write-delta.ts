import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { caseSchema, type TableShape } from '../case-schema.js';
import { copyTextValue } from './copy-text.js';
import { copyLineSql } from './copy-line-sql.js';
import { copyChunks, copyLineEncoder } from './copy-row-encoder.js';
import { ID_TABLES, type IdKind, type IdMap, mapId } from './id-remap.js';
import { ID_LOCK, reserveIdBlock } from './reserve-ids.js';
import { pgColumnType } from './pg-layout.js';

/**
 * Lines per COPY chunk. Small, so PostgreSQL parses one while the next is read: with 2,000 the
 * socket filled and each side waited for the other (100k execs: 12.4 s -> 7 s to copy).
 */
const ROWS_PER_CHUNK = 100;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Writes what an import changed in a scratch SQLite case back to the PostgreSQL case it was
 * seeded from. The scratch case has the seed, as it was before the import, attached as `base`:
 * rows the import added are new in the PostgreSQL case (ids from its sequences, references to
 * seeded rows kept), seeded rows it changed or removed (a process closed by a later exit, an
 * exec filled in, a fork image replaced, a capture's counts) are replaced or removed there. Runs
 * inside the caller's transaction, which holds the advisory locks of the hosts involved.
 */
export async function writeDeltaToPostgres(
  client: pg.Client,
  db: BetterSqlite3.Database,
  reserved: ReadonlyMap<IdKind, IdMap> = new Map(),
): Promise<{ captureId(scratchId: number): number }> {
  const schema = caseSchema();
  const reserving = performance.now();
  const maps = await reserveNewIds(client, db, reserved);
  const timing = process.env.PEDIGREE_TIMING !== undefined;
  if (timing) process.stderr.write(`timing: reserve ids ${((performance.now() - reserving) / 1000).toFixed(2)} s\n`);
  // Containers last: an importer of another host adding the same container waits on its row
  // until this transaction ends, so that wait should cover as little of the copy as possible.
  const tables = [...schema.tables.filter((t) => t.name !== 'containers'), ...schema.tables.filter((t) => t.name === 'containers')];
  for (const table of tables) {
    const t0 = performance.now();
    const seeded =
      db
        .prepare(`SELECT EXISTS (SELECT 1 FROM base.${quote(table.name)})`)
        .pluck()
        .get() !== 0n;
    if (seeded && table.name !== 'containers') await deleteReplaced(client, db, table);
    const rows = await copyChanged(client, db, table, maps, seeded);
    if (timing && rows > 0) process.stderr.write(`timing: copy ${table.name} (${rows} rows) ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
  }
  const captures = maps.get('capture');
  return { captureId: (id) => Number(mapId(captures, BigInt(id))) };
}

/** The columns that say which row it is: the primary key (with host_id where the row has one), else all of them. */
function rowKey(table: TableShape): { sqlite: string[]; pg: string[]; keyed: boolean } {
  if (table.primaryKey.length === 0) {
    const all = table.columns.map((c) => c.name);
    return { sqlite: ['rowid'], pg: all, keyed: false };
  }
  const hasHost = table.columns.some((c) => c.name === 'host_id') && !table.primaryKey.includes('host_id');
  const key = hasHost ? ['host_id', ...table.primaryKey] : table.primaryKey;
  return { sqlite: table.primaryKey, pg: key, keyed: true };
}

function joinOn(table: TableShape, left: string, right: string): string {
  return rowKey(table)
    .sqlite.map((k) => `${left}.${quote(k)} = ${right}.${quote(k)}`)
    .join(' AND ');
}

function differs(table: TableShape, left: string, right: string): string {
  const cols = (alias: string) => table.columns.map((c) => `${alias}.${quote(c.name)}`).join(', ');
  return `(${cols(left)}) IS NOT (${cols(right)})`;
}

/** Removes from PostgreSQL the seeded rows the import changed (written again below) or dropped. */
async function deleteReplaced(client: pg.Client, db: BetterSqlite3.Database, table: TableShape): Promise<void> {
  const key = rowKey(table);
  const first = key.sqlite[0] as string;
  const stmt = db
    .prepare(`SELECT ${key.pg.map((k) => `b.${quote(k)}`).join(', ')} FROM base.${quote(table.name)} b
              LEFT JOIN main.${quote(table.name)} m ON ${joinOn(table, 'm', 'b')}
              WHERE m.${quote(first)} IS NULL OR ${differs(table, 'm', 'b')}`)
    .raw(true);
  const encode = key.pg.map((name) => {
    const col = table.columns.find((c) => c.name === name);
    const bytea = pgColumnType(table.name, name, col?.type ?? 'TEXT') === 'bytea';
    return (v: unknown) => copyTextValue(v, bytea);
  });
  const rows = stmt.all() as unknown[][];
  if (rows.length === 0) return;
  const cols = key.pg.map(quote).join(', ');
  await client.query(`CREATE TEMP TABLE pedigree_gone AS SELECT ${cols} FROM ${quote(table.name)} WITH NO DATA`);
  const lines = function* (): Generator<string> {
    for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
      yield rows
        .slice(i, i + ROWS_PER_CHUNK)
        .map((r) => r.map((v, j) => (encode[j] as (v: unknown) => string)(v)).join('\t'))
        .join('\n')
        .concat('\n');
    }
  };
  await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY pedigree_gone (${cols}) FROM STDIN`)));
  const match = key.pg.map((k) => (key.keyed ? `t.${quote(k)} = g.${quote(k)}` : `t.${quote(k)} IS NOT DISTINCT FROM g.${quote(k)}`)).join(' AND ');
  await client.query(`DELETE FROM ${quote(table.name)} t USING pedigree_gone g WHERE ${match}`);
  await client.query('DROP TABLE pedigree_gone');
}

/** Copies the rows the import added or changed, ids mapped into the PostgreSQL case. */
async function copyChanged(client: pg.Client, db: BetterSqlite3.Database, table: TableShape, maps: Map<IdKind, IdMap>, seeded: boolean): Promise<number> {
  const cols = table.columns;
  const names = cols.map((c) => quote(c.name)).join(', ');
  const first = rowKey(table).sqlite[0] as string;
  const changed = seeded
    ? `LEFT JOIN base.${quote(table.name)} b ON ${joinOn(table, 'b', 'm')} WHERE b.${quote(first)} IS NULL OR ${differs(table, 'm', 'b')}`
    : '';
  let count = 0;
  const counted = () => {
    count++;
  };
  const bySql = copyLineSql(db, table, 'm', maps);
  const lines = bySql
    ? () =>
        copyChunks(
          db
            .prepare(`SELECT ${bySql.line} FROM main.${quote(table.name)} m ${changed}`)
            .pluck()
            .iterate(bySql.params) as Iterable<string>,
          (line) => line,
          { rowsPerChunk: ROWS_PER_CHUNK, counted },
        )
    : () =>
        copyChunks(
          db
            .prepare(`SELECT ${cols.map((c) => `m.${quote(c.name)}`).join(', ')} FROM main.${quote(table.name)} m ${changed}`)
            .raw(true)
            .iterate() as Iterable<unknown[]>,
          copyLineEncoder(table, maps),
          { rowsPerChunk: ROWS_PER_CHUNK, counted },
        );
  // Containers are keyed by their id across hosts: an import of another host may add or fill the
  // same container at the same time, so they are merged (what either side knows is kept).
  const shared = table.name === 'containers';
  const into = shared ? 'pedigree_staging_containers' : quote(table.name);
  if (shared) await client.query(`CREATE TEMP TABLE ${into} (LIKE containers) ON COMMIT DROP`);
  await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY ${into} (${names}) FROM STDIN`)));
  if (shared) {
    const fill = cols
      .filter((c) => c.name !== 'container_id')
      .map((c) => `${quote(c.name)} = COALESCE(excluded.${quote(c.name)}, containers.${quote(c.name)})`)
      .join(', ');
    await client.query(`INSERT INTO containers (${names}) SELECT ${names} FROM ${into} ON CONFLICT (container_id) DO UPDATE SET ${fill}`);
    await client.query(`DROP TABLE ${into}`);
  }
  return count;
}

/**
 * Ids the import handed out (above the largest seeded id of each kind) get a block of ids from
 * the PostgreSQL case's sequences; seeded ids stay as they are. Kinds in `reserved` already have
 * theirs (rows streamed to PostgreSQL during the import).
 */
async function reserveNewIds(client: pg.Client, db: BetterSqlite3.Database, reserved: ReadonlyMap<IdKind, IdMap>): Promise<Map<IdKind, IdMap>> {
  const maps = new Map<IdKind, IdMap>(reserved);
  await client.query('SELECT pg_advisory_lock($1)', [ID_LOCK]);
  try {
    for (const [kind, { table, column }] of Object.entries(ID_TABLES) as [IdKind, { table: string; column: string }][]) {
      if (maps.has(kind)) continue;
      const floor = (db.prepare(`SELECT COALESCE(max(${column}), 0) FROM base.${table}`).pluck().get() as bigint) ?? 0n;
      const range = db.prepare(`SELECT min(${column}) AS lo, max(${column}) AS hi FROM main.${table} WHERE ${column} > ?`).get(floor) as {
        lo: bigint | null;
        hi: bigint | null;
      };
      if (range.lo === null || range.hi === null) {
        maps.set(kind, { offset: 0n, keepUpTo: floor });
        continue;
      }
      const start = await reserveIdBlock(client, table, column, range.hi - range.lo + 1n);
      maps.set(kind, { offset: start - range.lo, keepUpTo: floor });
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ID_LOCK]);
  }
  return maps;
}
