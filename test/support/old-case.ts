import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyMigrations, listMigrations, SCHEMA_DIR } from '../../src/db/migrate.js';

let schemaDirs = 0;

/** A schema directory under `dir` holding only the migrations an earlier pedigree had (names below `before`). */
export function oldSchemaDir(dir: string, before: string): string {
  const out = join(dir, `schema-before-${before}-${++schemaDirs}`);
  mkdirSync(out, { recursive: true });
  for (const m of listMigrations().filter((m) => m.name < before)) copyFileSync(join(SCHEMA_DIR, m.name), join(out, m.name));
  return out;
}

/**
 * A case at `path` as pedigree wrote it before migration `before`, holding the rows the case
 * `fresh` (written by today's pedigree) holds: every column the old tables have, read through
 * today's tables and views, which keep the old columns. Returns how many rows were copied.
 */
export function oldCaseFrom(path: string, fresh: string, before: string, schemaParent: string): number {
  const db = new Database(path);
  try {
    db.pragma('foreign_keys = OFF');
    applyMigrations(db, oldSchemaDir(schemaParent, before));
    db.prepare('ATTACH DATABASE ? AS fresh').run(fresh);
    const tables = db
      .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'")
      .pluck()
      .all() as string[];
    let copied = 0;
    for (const table of tables) {
      const have = new Set(db.prepare('SELECT name FROM fresh.pragma_table_info(?)').pluck().all(table) as string[]);
      const columns = (db.prepare('SELECT name FROM main.pragma_table_info(?)').pluck().all(table) as string[]).filter((c) => have.has(c));
      if (columns.length === 0) continue;
      const list = columns.map((c) => `"${c}"`).join(', ');
      copied += db.prepare(`INSERT INTO main."${table}" (${list}) SELECT ${list} FROM fresh."${table}"`).run().changes;
    }
    db.prepare('DETACH DATABASE fresh').run();
    return copied;
  } finally {
    db.close();
  }
}
