import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { groupStraceFfFiles } from '../capture/strace/ff-group.js';
import { type Db, openCaseForWrite } from '../db/open.js';
import { analyzeCase } from '../db/postgres/analyze-case.js';
import { hostsWithRows, lockHostNames, seedScratch } from '../db/postgres/seed-scratch.js';
import { connectionError, openPostgresForWrite } from '../db/postgres/open-postgres.js';
import { postgresSchemaIsCurrent } from '../db/postgres/pg-migrate.js';
import { pgImportTimer } from '../db/postgres/pg-import-timing.js';
import { writeDeltaToPostgres } from '../db/postgres/write-delta.js';
import type { ImportResult } from '../importer/import-file.js';

type ImportOne = (db: Db, file: string, siblings: string[]) => Promise<ImportResult>;

/**
 * Imports into a PostgreSQL case. Each capture is read by the usual importer into a scratch
 * SQLite case seeded from the PostgreSQL one, and what it added or changed is written back with
 * COPY in one transaction (ids from the target's sequences, an advisory lock per host name).
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
    const step = pgImportTimer();
    let scratch = await seededScratch(client, join(dir, 'first.db'), []);
    step('seed the scratch case');
    let result = await importOne(scratch, file, siblings);
    await client.query('BEGIN');
    // The transaction is all or nothing either way; a crash just after COMMIT may lose it, like an
    // import that never ran (the file is still there to import again).
    await client.query('SET LOCAL synchronous_commit = off');
    try {
      step('scratch import');
      const names = hostNamesUsed(scratch);
      await lockHostNames(client, names);
      const known = await hostsWithRows(client, names);
      if (known.length > 0) {
        scratch.close();
        scratch = await seededScratch(client, join(dir, 'merge.db'), known);
        result = await importOne(scratch, file, siblings);
      }
      scratch.prepare('ATTACH DATABASE ? AS base').run(`${scratch.name}.base`);
      step('host locks');
      const written = await writeDeltaToPostgres(client, scratch);
      await client.query('COMMIT');
      step('copy, commit');
      await analyzeCase(client);
      step('analyze');
      return { ...result, captureId: written.captureId(result.captureId) };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      scratch.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A scratch case seeded from the PostgreSQL case, with a copy of the seed beside it (`<path>.base`). */
async function seededScratch(client: pg.Client, path: string, hostIds: bigint[]): Promise<Db> {
  const db = openCaseForWrite(path);
  db.pragma('synchronous = OFF'); // a scratch file: nothing to keep after a crash
  try {
    await seedScratch(client, db, hostIds);
    db.prepare('VACUUM INTO ?').run(`${path}.base`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Host names the import wrote rows for (or created), read after the first pass. */
function hostNamesUsed(db: Db): string[] {
  db.prepare('ATTACH DATABASE ? AS base').run(`${db.name}.base`);
  try {
    return db
      .prepare(`SELECT hostname FROM main.hosts WHERE host_id > (SELECT COALESCE(max(host_id), 0) FROM base.hosts)
                   OR host_id IN (SELECT host_id FROM main.processes UNION SELECT host_id FROM main.alerts
                                  UNION SELECT host_id FROM main.capture_hosts WHERE capture_id > (SELECT COALESCE(max(capture_id), 0) FROM base.captures)
                                  UNION SELECT host_id FROM main.captures WHERE capture_id > (SELECT COALESCE(max(capture_id), 0) FROM base.captures))`)
      .pluck()
      .all() as string[];
  } finally {
    db.exec('DETACH DATABASE base');
  }
}
