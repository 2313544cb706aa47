import Database from 'better-sqlite3';
import { applyMigrations, listMigrations } from './migrate.js';
import { registerSqlFunctions } from './sql-functions.js';

/**
 * The case schema as the SQLite migrations leave it: the one description both backends are
 * built from. The PostgreSQL schema is generated from this, so a new schema/*.sql migration
 * reaches PostgreSQL without a second hand-written copy to drift.
 */
export interface CaseSchema {
  migrations: { name: string; sha256: string }[];
  tables: TableShape[];
  indexes: IndexShape[];
  views: { name: string; sql: string }[];
}

export interface TableShape {
  name: string;
  columns: ColumnShape[];
  primaryKey: string[];
  /** Column lists with a UNIQUE constraint (besides the primary key). */
  unique: string[][];
}

export interface ColumnShape {
  name: string;
  /** Declared SQLite type: INTEGER, TEXT, REAL or BLOB. */
  type: string;
  notNull: boolean;
  /** Default as SQL text, or null. */
  defaultSql: string | null;
}

export interface IndexShape {
  name: string;
  table: string;
  columns: string[];
  unique: boolean;
}

let cached: CaseSchema | undefined;

export function caseSchema(): CaseSchema {
  if (cached) return cached;
  const db = new Database(':memory:');
  try {
    registerSqlFunctions(db);
    applyMigrations(db);
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY rowid")
      .pluck()
      .all() as string[];
    const tables: TableShape[] = [];
    const indexes: IndexShape[] = [];
    for (const name of names) {
      const info = db.pragma(`table_info(${name})`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
      const primaryKey = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const unique: string[][] = [];
      for (const ix of db.pragma(`index_list(${name})`) as { name: string; unique: number; origin: string }[]) {
        const cols = (db.pragma(`index_info(${ix.name})`) as { name: string }[]).map((c) => c.name);
        if (ix.origin === 'u') unique.push(cols);
        else if (ix.origin === 'c') indexes.push({ name: ix.name, table: name, columns: cols, unique: ix.unique === 1 });
      }
      tables.push({
        name,
        columns: info.map((c) => ({ name: c.name, type: c.type.toUpperCase(), notNull: c.notnull === 1 || c.pk > 0, defaultSql: c.dflt_value })),
        primaryKey,
        unique,
      });
    }
    indexes.sort((a, b) => a.name.localeCompare(b.name));
    const views = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY rowid").all() as { name: string; sql: string }[];
    const migrations = listMigrations().map((m) => ({ name: m.name, sha256: m.sha256 }));
    cached = { migrations, tables, indexes, views };
    return cached;
  } finally {
    db.close();
  }
}
