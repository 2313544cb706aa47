import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { groupStraceFfFiles } from '../capture/strace/ff-group.js';
import { analyzeCase } from '../db/postgres/analyze-case.js';
import { hostsWithRows, lockHostNames } from '../db/postgres/seed-scratch.js';
import { connectionError, openPostgresForWrite } from '../db/postgres/open-postgres.js';
import { postgresSchemaIsCurrent } from '../db/postgres/pg-migrate.js';
import { pgImportTimer } from '../db/postgres/pg-import-timing.js';
import { writeDeltaToPostgres } from '../db/postgres/write-delta.js';
import type { ImportResult } from '../importer/import-file.js';
import { hostNamesUsed, seededScratch } from './postgres-scratch.js';
import { type ImportOne, importStreaming } from './import-postgres-stream.js';
import type { Db } from '../db/open.js';
import { startCountingNuls, warnOfNulReplacements } from './pg-nul-warning.js';

/**
 * Imports into a PostgreSQL case. A capture of hosts the case holds no rows of yet (a host's first
 * import) has its exec and process rows streamed into COPY as they are linked
 * (import-postgres-stream.ts; PEDIGREE_PG_STREAM=0 turns that off). Otherwise, or when that finds
 * it must, the capture is read by the usual importer into a scratch SQLite case seeded from the
 * PostgreSQL one, and what it added or changed is written back with COPY in one transaction (ids
 * from the target's sequences, an advisory lock per host name).
 *
 * The first pass sees only the shared tables (hosts, captures, containers): enough for a host
 * new to the case, which is the fast path. When the case already holds rows of a host the
 * capture names, the capture is read again into a scratch case holding all of that host's rows,
 * under the host's lock, so it merges with them exactly as a SQLite import does (a later exit
 * closes the process, a repeated report becomes an exec source, a known file is recognised).
 */
export async function importIntoPostgres(url: string, files: string[], importOne: ImportOne): Promise<ImportResult[]> {
  const step = pgImportTimer();
  const client = new pg.Client({ connectionString: url, options: '-c search_path=public,pedigree_sql,pg_catalog' });
  client.on('error', () => {});
  await client.connect().catch((err: unknown) => {
    openPostgresForWrite(url).close(); // says why, as every command does (no such database, credentials refused, ...)
    throw connectionError(url, err);
  });
  try {
    // Creates or upgrades the schema, or refuses what is not a case; a case already up to date
    // is seen as such from here, without the schema lock and its connection.
    if (!(await schemaIsCurrent(client))) openPostgresForWrite(url).close();
    step('connect, check the schema');
    const results: ImportResult[] = [];
    for (const [file, ...siblings] of groupStraceFfFiles(files) as [string, ...string[]][]) {
      results.push(await importGroup(client, file, siblings, importOne));
    }
    return results;
  } finally {
    await client.end();
  }
}

async function schemaIsCurrent(client: pg.Client): Promise<boolean> {
  const table = await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (table.rows[0]?.present !== true) return false;
  const applied = await client.query('SELECT name, sha256 FROM schema_migrations');
  return postgresSchemaIsCurrent(new Map(applied.rows.map((r) => [String(r.name), String(r.sha256)])));
}

async function importGroup(client: pg.Client, file: string, siblings: string[], importOne: ImportOne): Promise<ImportResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pedigree-import-'));
  try {
    // Hosts a streamed attempt found the case holding rows of: the capture is read once more, merging.
    let held: string[] | null = null;
    if (process.env.PEDIGREE_PG_STREAM !== '0') {
      const streamed = await importStreaming(client, dir, file, siblings, importOne);
      if (streamed !== null && 'imported' in streamed) return streamed.imported;
      held = streamed?.hostsHeld ?? null;
    }
    const step = pgImportTimer();
    startCountingNuls();
    let scratch: Db | null = null;
    let result: ImportResult | null = null;
    if (held === null) {
      scratch = await seededScratch(client, join(dir, 'first.db'), []);
      step('seed the scratch case');
      result = await importOne(scratch, file, siblings);
    }
    await client.query('BEGIN');
    // The transaction is all or nothing either way; a crash just after COMMIT may lose it, like an
    // import that never ran (the file is still there to import again).
    await client.query('SET LOCAL synchronous_commit = off');
    try {
      step('scratch import');
      const names = held ?? hostNamesUsed(scratch as Db);
      await lockHostNames(client, names);
      const known = await hostsWithRows(client, names);
      if (known.length > 0 || scratch === null || result === null) {
        scratch?.close();
        scratch = await seededScratch(client, join(dir, known.length > 0 ? 'merge.db' : 'first.db'), known);
        result = await importOne(scratch, file, siblings);
      }
      scratch.prepare('ATTACH DATABASE ? AS base').run(`${scratch.name}.base`);
      step('host locks');
      const written = await writeDeltaToPostgres(client, scratch);
      const captureId = written.captureId(result.captureId);
      const warned = await warnOfNulReplacements(client, captureId, result);
      await client.query('COMMIT');
      step('copy, commit');
      await analyzeCase(client);
      step('analyze');
      return { ...warned, captureId };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      scratch?.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
