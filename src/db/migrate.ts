import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';
import { PedigreeError } from '../util/errors.js';

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

/**
 * Applies schema/*.sql in order, each once, recording it in schema_migrations. A recorded
 * migration whose file changed since is refused: the schema is a promise to the user.
 */
export function applyMigrations(db: BetterSqlite3.Database, dir: string = SCHEMA_DIR): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY,      -- schema file applied, e.g. 001_case.sql
    sha256 TEXT NOT NULL,       -- hash of the file's text when applied
    applied_ns INTEGER NOT NULL -- when it was applied
  )`);
  const applied = new Map<string, string>();
  for (const row of db.prepare('SELECT name, sha256 FROM schema_migrations').all() as {
    name: string;
    sha256: string;
  }[]) {
    applied.set(row.name, row.sha256);
  }
  for (const m of listMigrations(dir)) {
    const known = applied.get(m.name);
    if (known !== undefined) {
      if (known !== m.sha256) {
        throw new PedigreeError(
          'DB_SCHEMA',
          `schema file ${m.name} changed after it was applied to this database; add a new migration instead`,
        );
      }
      continue;
    }
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (name, sha256, applied_ns) VALUES (?, ?, ?)').run(
        m.name,
        m.sha256,
        BigInt(Date.now()) * 1_000_000n,
      );
    })();
  }
}
