import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';
import { PedigreeError } from '../util/errors.js';
import { registerAlertKey } from './alert-key.js';
import { buildFreshCaseScript, type FreshCaseScript, freshCaseScriptFor } from './fresh-case.js';

export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema');

interface Migration {
  name: string;
  sql: string;
  sha256: string;
}

export function listMigrations(dir: string = SCHEMA_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return { name, sql, sha256: createHash('sha256').update(sql).digest('hex') };
    });
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY,      -- schema file applied, e.g. 001_case.sql
    sha256 TEXT NOT NULL,       -- hash of the file's text when applied
    applied_ns INTEGER NOT NULL -- when it was applied
  )`;

/**
 * Applies schema/*.sql in order, each once, recording it in schema_migrations. A recorded
 * migration whose file changed since is refused: the schema is a promise to the user.
 * An empty database gets `fresh` instead when given (the build's script of the schema these
 * migrations build, fresh-case.ts): one script instead of every migration's table rebuilds.
 */
export function applyMigrations(db: BetterSqlite3.Database, dir: string = SCHEMA_DIR, fresh?: FreshCaseScript | null): void {
  const migrations = listMigrations(dir);
  if (isUpToDate(db, migrations)) return;
  const script = fresh !== undefined ? fresh : dir === SCHEMA_DIR ? freshCaseScriptFor(migrations) : null;
  registerAlertKey(db);
  // One write transaction for all: two processes creating the same new case at once must not
  // both run a migration (the second would find its tables already there).
  db.transaction(() => {
    if (script && db.prepare('SELECT 1 FROM sqlite_schema LIMIT 1').get() === undefined) {
      db.exec(script.sql);
      const record = db.prepare('INSERT INTO schema_migrations (name, sha256, applied_ns) VALUES (?, ?, ?)');
      for (const m of script.migrations) record.run(m.name, m.sha256, BigInt(Date.now()) * 1_000_000n);
      return;
    }
    db.exec(MIGRATIONS_TABLE);
    const applied = appliedMigrations(db);
    for (const m of migrations) {
      const known = applied.get(m.name);
      if (known !== undefined) {
        if (known !== m.sha256) throw changedMigration(m.name);
        continue;
      }
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (name, sha256, applied_ns) VALUES (?, ?, ?)').run(m.name, m.sha256, BigInt(Date.now()) * 1_000_000n);
    }
  }).immediate();
}

/** The schema these migrations build, as one script for a new case (the build writes it to dist/). */
export function freshCaseScript(dir: string = SCHEMA_DIR): FreshCaseScript {
  return buildFreshCaseScript(listMigrations(dir), MIGRATIONS_TABLE);
}

function isUpToDate(db: BetterSqlite3.Database, migrations: Migration[]): boolean {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!hasTable) return false;
  const applied = appliedMigrations(db);
  for (const m of migrations) {
    const known = applied.get(m.name);
    if (known === undefined) return false;
    if (known !== m.sha256) throw changedMigration(m.name);
  }
  return true;
}

function appliedMigrations(db: BetterSqlite3.Database): Map<string, string> {
  const applied = new Map<string, string>();
  for (const row of db.prepare('SELECT name, sha256 FROM schema_migrations').all() as { name: string; sha256: string }[]) {
    applied.set(row.name, row.sha256);
  }
  return applied;
}

function changedMigration(name: string): PedigreeError {
  return new PedigreeError('DB_SCHEMA', `schema file ${name} changed after it was applied to this database; add a new migration instead`);
}
