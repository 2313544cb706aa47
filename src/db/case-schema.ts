import Database from 'better-sqlite3';
import { applyMigrations, listMigrations } from './migrate.js';
import { registerSqlFunctions } from './sql-functions.js';

/**
 * The case schema as the SQLite migrations leave it, as readers see it: the one description
 * both backends are built from. The PostgreSQL schema is generated from this, so a new
 * schema/*.sql migration reaches PostgreSQL without a second hand-written copy to drift.
 *
 * A view that SQLite writes through INSTEAD OF triggers (execs, stored narrowly in exec_rows,
 * exec_extras and strings) is a logical table here: its columns are what every reader uses,
 * and PostgreSQL stores those rows as they are (it compresses wide values itself). The storage
 * tables behind it, and the indexes on them, belong to SQLite's layout.
 */
export interface CaseSchema {
  migrations: { name: string; sha256: string }[];
  tables: TableShape[];
  indexes: IndexShape[];
  views: { name: string; sql: string }[];
}

export interface TableShape {
  name: string;
  /** A SQLite view written through triggers, stored in `storedIn` there. */
  logical?: { storedIn: string[] };
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
    const logical = logicalTables(db);
    const storage = new Map<string, string>();
    for (const [view, tables] of logical) for (const t of tables) storage.set(t, view);
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY rowid")
      .pluck()
      .all() as string[];
    const tables: TableShape[] = [];
    const indexes: IndexShape[] = [];
    for (const name of names) {
      if (storage.has(name)) {
        const view = storage.get(name) as string;
        for (const ix of db.pragma(`index_list(${name})`) as { name: string; unique: number; origin: string }[]) {
          if (ix.origin !== 'c') continue;
          const cols = (db.pragma(`index_info(${ix.name})`) as { name: string }[]).map((c) => c.name);
          indexes.push({ name: ix.name, table: view, columns: cols, unique: ix.unique === 1 });
        }
        continue;
      }
      const info = db.pragma(`table_info(${name})`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
      const primaryKey = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
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
    for (const [view, storedIn] of logical) {
      const info = db.pragma(`table_info(${view})`) as { name: string; type: string; notnull: number }[];
      const base = storedIn[0] as string;
      const baseCols = new Map((db.pragma(`table_info(${base})`) as { name: string; type: string; notnull: number; pk: number }[]).map((c) => [c.name, c]));
      tables.push({
        name: view,
        logical: { storedIn },
        columns: info.map((c) => {
          const stored = baseCols.get(c.name);
          const type = stored && stored.type !== '' && c.type !== '' ? c.type.toUpperCase() : logicalColumnType(c.name);
          return { name: c.name, type, notNull: stored !== undefined && (stored.notnull === 1 || stored.pk > 0) && c.type !== '', defaultSql: null };
        }),
        primaryKey: [...baseCols.values()]
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
        unique: [],
      });
    }
    indexes.sort((a, b) => a.name.localeCompare(b.name));
    const allViews = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY rowid").all() as { name: string; sql: string }[];
    const views = dependencyOrder(allViews.filter((v) => !logical.has(v.name)));
    const migrations = listMigrations().map((m) => ({ name: m.name, sha256: m.sha256 }));
    cached = { migrations, tables, indexes, views };
    return cached;
  } finally {
    db.close();
  }
}

/** Views with an INSTEAD OF INSERT trigger, and the tables their SELECT reads (the first is the base). */
function logicalTables(db: Database.Database): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const triggers = db.prepare("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%INSTEAD OF INSERT%'").pluck().all() as string[];
  for (const view of new Set(triggers)) {
    const sql = String(db.prepare("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?").pluck().get(view) ?? '');
    const read = [...sql.matchAll(/\b(?:FROM|JOIN)\s+(\w+)/gi)].map((m) => m[1] as string);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    const base = /\bFROM\s+(\w+)\s+\w+\s*;?\s*$/i.exec(sql.trim())?.[1];
    const storedIn = [...new Set([...(base ? [base] : []), ...read.filter((t) => tables.includes(t))])];
    out.set(view, storedIn);
  }
  return out;
}

/**
 * A logical table's column computed by an expression has no declared type in SQLite; these are
 * its text columns (everything else is an integer).
 */
const LOGICAL_TEXT_COLUMNS = new Set([
  'kind',
  'exe',
  'exepath',
  'argv_json',
  'cmdline',
  'cwd',
  'user_name',
  'env',
  'cgroups',
  'cap_permitted',
  'cap_effective',
  'cap_inheritable',
  'attempt_exe',
  'evt_type',
  'name',
  'args',
  'container_id',
]);

function logicalColumnType(name: string): string {
  return LOGICAL_TEXT_COLUMNS.has(name) ? 'TEXT' : 'INTEGER';
}

/** Views in an order where each comes after the views it reads. */
function dependencyOrder(views: { name: string; sql: string }[]): { name: string; sql: string }[] {
  const out: { name: string; sql: string }[] = [];
  const placed = new Set<string>();
  const visit = (v: { name: string; sql: string }, depth: number) => {
    if (placed.has(v.name) || depth > views.length) return;
    for (const other of views) if (other !== v && new RegExp(`\\b${other.name}\\b`).test(v.sql)) visit(other, depth + 1);
    if (!placed.has(v.name)) {
      placed.add(v.name);
      out.push(v);
    }
  };
  for (const v of views) visit(v, 0);
  return out;
}
