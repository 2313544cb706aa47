import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PedigreeError } from '../../util/errors.js';
import { caseSchema, type TableShape } from '../case-schema.js';
import { analyzeCase } from './analyze-case.js';
import { copyLineSql } from './copy-line-sql.js';
import { copyChunks, copyLineEncoder } from './copy-row-encoder.js';
import { ID_TABLES, type IdKind, type IdMap, mapId } from './id-remap.js';
import { reserveIdBlock } from './reserve-ids.js';
import { openPostgresForWrite } from './open-postgres.js';
import { redactUrl } from './pg-url.js';

const ID_LOCK = 0x70656470; // session advisory lock while a copy reserves id ranges
const ROWS_PER_CHUNK = 100; // small: PostgreSQL parses one chunk while the next is read (write-delta.ts)

export interface CopySummary {
  table: string;
  rows: number;
}

export function hostLockKey(hostname: string): string {
  return `pedigree host ${hostname}`;
}

/**
 * Copies a SQLite case into a PostgreSQL case with COPY, in one transaction: all of it or none.
 * Ids come from the target's sequences (a target that is empty keeps the source's ids), so cases
 * of different hosts can be copied in from several machines at once; copies touching the same
 * host wait for each other on an advisory lock, because one host's evidence has one writer.
 */
export interface CopyResult {
  tables: CopySummary[];
  /** The target's id for one of the source's captures. */
  captureId(sourceId: number): number;
}

export async function copyCaseToPostgres(src: BetterSqlite3.Database, url: string, sourceLabel: string): Promise<CopyResult> {
  openPostgresForWrite(url).close(); // creates or upgrades the schema
  const client = new pg.Client({ connectionString: url, options: '-c search_path=public,pedigree_sql,pg_catalog' });
  client.on('error', () => {});
  await client.connect();
  const summary: CopySummary[] = [];
  try {
    await client.query('BEGIN');
    const hostnames = src.prepare('SELECT host_id, hostname FROM hosts ORDER BY hostname').all() as { host_id: bigint; hostname: string }[];
    for (const h of hostnames) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [hostLockKey(h.hostname)]);

    const shas = src.prepare('SELECT sha256 FROM captures').pluck().all() as string[];
    const dup = await client.query('SELECT path, sha256 FROM captures WHERE sha256 = ANY($1) LIMIT 1', [shas]);
    if (dup.rows.length > 0) {
      throw new PedigreeError(
        'DB_SCHEMA',
        `${sourceLabel}: capture ${dup.rows[0].path} (sha256 ${String(dup.rows[0].sha256).slice(0, 16)}…) is already in ${redactUrl(url)}; nothing copied`,
      );
    }

    const maps = await reserveIds(client, src, hostnames);
    const schema = caseSchema();
    for (const table of schema.tables) {
      const skip = await rowsAlreadyThere(client, src, table, maps);
      const rows = await copyTable(client, src, table, maps, skip);
      summary.push({ table: table.name, rows });
    }
    await client.query('COMMIT');
    await analyzeCase(client);
    const captures = maps.get('capture');
    return { tables: summary, captureId: (id) => Number(mapId(captures, BigInt(id))) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

/** Reserves a block of ids per kind from the target's sequences; hosts already there keep theirs. */
async function reserveIds(client: pg.Client, src: BetterSqlite3.Database, hostnames: { host_id: bigint; hostname: string }[]): Promise<Map<IdKind, IdMap>> {
  const maps = new Map<IdKind, IdMap>();
  await client.query('SELECT pg_advisory_lock($1)', [ID_LOCK]);
  try {
    for (const [kind, { table, column }] of Object.entries(ID_TABLES) as [IdKind, { table: string; column: string }][]) {
      const range = src.prepare(`SELECT min(${column}) AS lo, max(${column}) AS hi FROM ${table}`).get() as { lo: bigint | null; hi: bigint | null };
      if (range.lo === null || range.hi === null) {
        maps.set(kind, { offset: 0n });
        continue;
      }
      const start = await reserveIdBlock(client, table, column, range.hi - range.lo + 1n);
      maps.set(kind, { offset: start - range.lo });
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ID_LOCK]);
  }
  const existing = await client.query('SELECT host_id, hostname FROM hosts WHERE hostname = ANY($1)', [hostnames.map((h) => h.hostname)]);
  const byName = new Map(existing.rows.map((r) => [String(r.hostname), BigInt(r.host_id)]));
  const explicit = new Map<bigint, bigint>();
  for (const h of hostnames) {
    const id = byName.get(h.hostname);
    if (id !== undefined) explicit.set(BigInt(h.host_id), id);
  }
  const hostMap = maps.get('host');
  if (hostMap) hostMap.explicit = explicit;
  return maps;
}

/** Rows of reference tables the target already holds (hosts by name, containers by id). */
async function rowsAlreadyThere(
  client: pg.Client,
  src: BetterSqlite3.Database,
  table: TableShape,
  maps: Map<IdKind, IdMap>,
): Promise<((row: unknown[]) => boolean) | null> {
  if (table.name === 'hosts') {
    const explicit = maps.get('host')?.explicit ?? new Map();
    const at = table.columns.findIndex((c) => c.name === 'host_id');
    return (row) => explicit.has(BigInt(row[at] as bigint));
  }
  if (table.name === 'containers') {
    const ids = src.prepare('SELECT container_id FROM containers').pluck().all() as string[];
    const there = new Set(
      (await client.query('SELECT container_id FROM containers WHERE container_id = ANY($1)', [ids])).rows.map((r) => String(r.container_id)),
    );
    const at = table.columns.findIndex((c) => c.name === 'container_id');
    return (row) => there.has(String(row[at]));
  }
  return null;
}

async function copyTable(
  client: pg.Client,
  src: BetterSqlite3.Database,
  table: TableShape,
  maps: Map<IdKind, IdMap>,
  skip: ((row: unknown[]) => boolean) | null,
): Promise<number> {
  const cols = table.columns;
  const names = cols.map((c) => `"${c.name}"`).join(', ');
  let count = 0;
  const counted = () => {
    count++;
  };
  const bySql = skip === null ? copyLineSql(src, table, 'm', maps) : null;
  const lines = bySql
    ? () =>
        copyChunks(src.prepare(`SELECT ${bySql.line} FROM "${table.name}" m`).pluck().iterate(bySql.params) as Iterable<string>, (line) => line, {
          rowsPerChunk: ROWS_PER_CHUNK,
          counted,
        })
    : () =>
        copyChunks(src.prepare(`SELECT ${names} FROM "${table.name}"`).raw(true).iterate() as Iterable<unknown[]>, copyLineEncoder(table, maps), {
          rowsPerChunk: ROWS_PER_CHUNK,
          keep: (row) => skip === null || !skip(row),
          counted,
        });
  // Containers are keyed by their id across hosts: a copy running beside this one may add the
  // same container, so they go through a staging table and ON CONFLICT DO NOTHING.
  const shared = table.name === 'containers';
  const into = shared ? 'pedigree_staging_containers' : table.name;
  if (shared) await client.query(`CREATE TEMP TABLE ${into} (LIKE containers) ON COMMIT DROP`);
  const sink = client.query(copyFrom(`COPY "${into}" (${names}) FROM STDIN`));
  await pipeline(Readable.from(lines()), sink);
  if (shared) await client.query(`INSERT INTO containers (${names}) SELECT ${names} FROM ${into} ON CONFLICT DO NOTHING`);
  return count;
}
