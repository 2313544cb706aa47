import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { analyzeCase } from '../db/postgres/analyze-case.js';
import { nameExecUsers } from '../db/postgres/capture-users.js';
import { CopyIn, copyInFromFile } from '../db/postgres/copy-in.js';
import type { IdKind, IdMap } from '../db/postgres/id-remap.js';
import { pgImportTimer } from '../db/postgres/pg-import-timing.js';
import { ID_LOCK, reserveIdBlock, returnUnusedIds } from '../db/postgres/reserve-ids.js';
import { hostsWithRows, lockHostNames } from '../db/postgres/seed-scratch.js';
import { writeDeltaToPostgres } from '../db/postgres/write-delta.js';
import { CopyRowLines, EXEC_COPY_COLUMNS, IdBlockExceeded, PROCESS_COPY_COLUMNS } from '../importer/copy-row-lines.js';
import { CopyRowTarget, ImportStartedOver } from '../importer/copy-row-target.js';
import type { ImportResult } from '../importer/import-file.js';
import type { RowTarget } from '../importer/row-target.js';
import type { Db } from '../db/open.js';
import { startCountingNuls, warnOfNulReplacements } from './pg-nul-warning.js';
import { hostNamesUsed, seededScratch } from './postgres-scratch.js';

/** Imports one capture (a file and its strace -ff siblings) into a scratch case, rows to `rowTarget` if given. */
export type ImportOne = (db: Db, file: string, siblings: string[], rowTarget?: RowTarget) => Promise<ImportResult>;

/**
 * What a streamed import came to: the capture imported; or rolled back because the case holds
 * rows of some of the hosts it names (merging needs them in a scratch case); or rolled back for
 * another reason (null): the scratch way then starts from the beginning.
 */
export type Streamed = { imported: ImportResult } | { hostsHeld: string[] } | null;

/** New hosts one capture may bring before the import goes the scratch way (rows wait in the scratch case). */
const HOST_BLOCK = 64n;

interface Block {
  first: bigint;
  last: bigint;
}

/**
 * Imports a capture whose hosts the case does not hold yet (a host's first import) with its exec
 * and process rows streamed straight into COPY as the importer links them: they are never written
 * into, and read back from, the scratch case, which takes every other row as usual (hosts,
 * captures, containers, alerts, users) and is written back after it (write-delta.ts). One
 * transaction holds it all, so a killed import leaves the case as it was.
 *
 * Ids come from blocks reserved before reading (a block as large as the content has bytes: no
 * capture hands out more ids than it has bytes); the end of a block no importer reserved past is
 * handed back. The transaction is rolled back when the capture must go the scratch way: a host
 * of it already holds rows (merging needs them in the scratch case), it repeats or extends a
 * stored capture, or it outgrew its blocks.
 */
export async function importStreaming(client: pg.Client, dir: string, file: string, siblings: string[], importOne: ImportOne): Promise<Streamed> {
  const step = pgImportTimer();
  startCountingNuls();
  const scratch = await seededScratch(client, join(dir, 'stream.db'), []);
  try {
    step('seed the scratch case');
    const floors = scratch
      .prepare('SELECT (SELECT COALESCE(max(capture_id), 0) FROM captures) AS capture, (SELECT COALESCE(max(host_id), 0) FROM hosts) AS host')
      .get() as {
      capture: bigint | number;
      host: bigint | number;
    };
    const captureFloor = BigInt(floors.capture);
    const hostFloor = BigInt(floors.host);
    const span = BigInt(
      Math.max(
        65_536,
        [file, ...siblings].reduce((sum, f) => sum + idsAtMost(f), 0),
      ),
    );
    await client.query('BEGIN');
    await client.query('SET LOCAL synchronous_commit = off'); // all or nothing either way (see import-postgres.ts)
    try {
      const blocks = await reserveBlocks(client, { process: span, exec: span, host: HOST_BLOCK, capture: 1n });
      if (blocks.exec.last > BigInt(Number.MAX_SAFE_INTEGER) || blocks.process.last > BigInt(Number.MAX_SAFE_INTEGER)) return await rollBack(client, blocks);
      const lines = new CopyRowLines({
        processOffset: Number(blocks.process.first) - 1,
        execOffset: Number(blocks.exec.first) - 1,
        maxProcessId: Number(span),
        maxExecId: Number(span),
        captureId: Number(blocks.capture.first),
        hostId: (id) => {
          if (BigInt(id) <= hostFloor) return id;
          if (BigInt(id) - hostFloor > HOST_BLOCK) throw new IdBlockExceeded('host', id);
          return Number(blocks.host.first + BigInt(id) - hostFloor - 1n);
        },
      });
      const execs = new CopyIn(client, `COPY execs (${EXEC_COPY_COLUMNS.join(', ')}) FROM STDIN`);
      // One COPY at a time on a connection: process rows wait in a file until the execs are in.
      const spool = join(dir, 'processes.copy');
      const spoolFd = openSync(spool, 'w');
      const target = new CopyRowTarget(lines, execs, { write: (chunk) => writeSync(spoolFd, chunk) }, () => execs.drained());
      let result: ImportResult;
      try {
        try {
          result = await importOne(scratch, file, siblings, target);
          target.flush();
        } finally {
          closeSync(spoolFd);
        }
        await execs.end();
      } catch (err) {
        await execs.abort();
        if (err instanceof IdBlockExceeded || err instanceof ImportStartedOver) return await rollBack(client, blocks);
        throw err;
      }
      step('import, COPY execs');
      if (result.outcome !== 'imported' || BigInt(result.captureId) !== captureFloor + 1n) return await rollBack(client, blocks);
      await copyInFromFile(client, `COPY processes (${PROCESS_COPY_COLUMNS.join(', ')}) FROM STDIN`, spool);
      step('COPY processes');
      const names = hostNamesUsed(scratch);
      await lockHostNames(client, names);
      if ((await hostsWithRows(client, names, blocks.capture.first)).length > 0) {
        await rollBack(client, blocks);
        return { hostsHeld: names };
      }
      const hostsUsed = BigInt(scratch.prepare('SELECT COALESCE(max(host_id), 0) FROM hosts').pluck().get() as bigint | number) - hostFloor;
      if (hostsUsed > HOST_BLOCK) return await rollBack(client, blocks);
      step('host locks');
      const hostIds = (scratch.prepare('SELECT host_id FROM capture_hosts WHERE capture_id = ?').pluck().all(result.captureId) as (bigint | number)[]).map(
        (id) => BigInt(lines.hostIdOf(Number(id))),
      );
      const used = { process: BigInt(lines.largestProcessId), exec: BigInt(lines.largestExecId), host: hostsUsed, capture: 1n };
      await nameExecUsers(client, scratch, result.captureId, { hostIds, execIds: { first: blocks.exec.first, last: blocks.exec.first + used.exec - 1n } });
      scratch.prepare('ATTACH DATABASE ? AS base').run(`${scratch.name}.base`);
      await writeDeltaToPostgres(client, scratch, reservedMaps(blocks, captureFloor, hostFloor));
      await handBack(client, blocks, used);
      const warned = await warnOfNulReplacements(client, blocks.capture.first, result);
      await client.query('COMMIT');
      step('copy the rest, commit');
      await analyzeCase(client);
      step('analyze');
      return { imported: { ...warned, captureId: Number(blocks.capture.first) } };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    scratch.close();
  }
}

/** Gzip content this many times its compressed size is assumed at most (more: the import goes the scratch way). */
const GZIP_EXPANSION = 64;

/** How many ids of a kind a file can need at most: one per byte of its content. */
function idsAtMost(path: string): number {
  const size = statSync(path).size;
  const head = Buffer.alloc(2);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  return head[0] === 0x1f && head[1] === 0x8b ? size * GZIP_EXPANSION : size;
}

/** Undoes the attempt, its ids handed back when no importer reserved past them (the scratch way then takes the same ids). */
async function rollBack(client: pg.Client, blocks: Blocks): Promise<null> {
  await client.query('ROLLBACK');
  await handBack(client, blocks, { process: 0n, exec: 0n, host: 0n, capture: 0n });
  return null;
}

const BLOCK_TABLES: Record<'process' | 'exec' | 'host' | 'capture', { table: string; column: string }> = {
  process: { table: 'processes', column: 'process_id' },
  exec: { table: 'execs', column: 'exec_id' },
  host: { table: 'hosts', column: 'host_id' },
  capture: { table: 'captures', column: 'capture_id' },
};

type Blocks = Record<keyof typeof BLOCK_TABLES, Block>;

async function reserveBlocks(client: pg.Client, spans: Record<keyof typeof BLOCK_TABLES, bigint>): Promise<Blocks> {
  await client.query('SELECT pg_advisory_lock($1)', [ID_LOCK]);
  try {
    const blocks = {} as Blocks;
    for (const kind of Object.keys(BLOCK_TABLES) as (keyof typeof BLOCK_TABLES)[]) {
      const { table, column } = BLOCK_TABLES[kind];
      const first = await reserveIdBlock(client, table, column, spans[kind]);
      blocks[kind] = { first, last: first + spans[kind] - 1n };
    }
    return blocks;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ID_LOCK]);
  }
}

async function handBack(client: pg.Client, blocks: Blocks, used: Record<keyof typeof BLOCK_TABLES, bigint>): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [ID_LOCK]);
  try {
    for (const kind of Object.keys(BLOCK_TABLES) as (keyof typeof BLOCK_TABLES)[]) {
      const { table, column } = BLOCK_TABLES[kind];
      await returnUnusedIds(client, table, column, blocks[kind], used[kind]);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ID_LOCK]);
  }
}

/** The scratch case's ids as the streamed rows gave them: write-delta maps every other row's references likewise. */
function reservedMaps(blocks: Blocks, captureFloor: bigint, hostFloor: bigint): Map<IdKind, IdMap> {
  return new Map<IdKind, IdMap>([
    ['process', { offset: blocks.process.first - 1n, keepUpTo: 0n }],
    ['exec', { offset: blocks.exec.first - 1n, keepUpTo: 0n }],
    ['capture', { offset: blocks.capture.first - captureFloor - 1n, keepUpTo: captureFloor }],
    ['host', { offset: blocks.host.first - hostFloor - 1n, keepUpTo: hostFloor }],
  ]);
}
