import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { registerAlertKey } from './alert-key.js';

/** A schema file as migrate.ts lists it. */
interface Migration {
  name: string;
  sql: string;
  sha256: string;
}

/** The schema the migrations build on an empty database, as one script, and the migrations it stands for. */
export interface FreshCaseScript {
  migrations: { name: string; sha256: string }[];
  sql: string;
}

/** Written by the build next to the compiled module (dist/db/); absent when running the sources. */
const SCRIPT_FILE = new URL('./fresh-case.json', import.meta.url);

/**
 * Runs the migrations on an empty in-memory database, after `preamble` (what applyMigrations
 * creates first), and reads its schema back: tables, then indexes, views and triggers, each in
 * the order they were created. Rows the migrations leave (none so far) would not be in it, so
 * any there make this refuse.
 */
export function buildFreshCaseScript(migrations: Migration[], preamble: string): FreshCaseScript {
  const db = new Database(':memory:');
  try {
    registerAlertKey(db);
    db.exec(preamble);
    for (const m of migrations) db.exec(m.sql);
    const rows = db
      .prepare(`SELECT name, type, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid`)
      .all() as { name: string; type: string; sql: string }[];
    for (const r of rows) {
      if (r.type !== 'table') continue;
      if (db.prepare(`SELECT 1 FROM "${r.name.replaceAll('"', '""')}" LIMIT 1`).get() !== undefined) {
        throw new Error(`the migrations leave rows in ${r.name}: a schema script cannot stand for them`);
      }
    }
    return { migrations: migrations.map(({ name, sha256 }) => ({ name, sha256 })), sql: rows.map((r) => `${r.sql};`).join('\n') };
  } finally {
    db.close();
  }
}

/** Writes the script the compiled pedigree gives a new case (run by the build). */
export function writeFreshCaseScript(script: FreshCaseScript, file: URL | string = SCRIPT_FILE): void {
  writeFileSync(file, JSON.stringify(script));
}

/** The build's script, when there is one and it stands for exactly these migrations. */
export function freshCaseScriptFor(migrations: Migration[], file: URL | string = SCRIPT_FILE): FreshCaseScript | null {
  let script: FreshCaseScript;
  try {
    script = JSON.parse(readFileSync(file, 'utf8')) as FreshCaseScript;
  } catch {
    return null;
  }
  const same =
    script.migrations.length === migrations.length && script.migrations.every((m, i) => m.name === migrations[i]?.name && m.sha256 === migrations[i]?.sha256);
  return same ? script : null;
}
