import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { freshCaseScriptFor, writeFreshCaseScript } from '../../src/db/fresh-case.js';
import { applyMigrations, freshCaseScript, listMigrations, SCHEMA_DIR } from '../../src/db/migrate.js';
import { tempDir } from '../support/temp-case.js';

type SchemaRow = { type: string; name: string; tbl_name: string; sql: string | null };

function schemaOf(db: Database.Database): SchemaRow[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all() as SchemaRow[];
}

function tableRows(db: Database.Database): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const { name } of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]) {
    out[name] = db.prepare(`SELECT * FROM "${name}"`).raw().all();
  }
  return out;
}

/**
 * A new case gets the schema the migrations build in one script (the build writes it to dist/):
 * it must be the same database, object for object, as running every migration in turn.
 */
describe('schema script for a new case', () => {
  it('builds exactly the schema the migrations build, and records the same migrations', () => {
    const migrated = new Database(':memory:');
    applyMigrations(migrated, SCHEMA_DIR, null);
    const scripted = new Database(':memory:');
    const script = freshCaseScript();
    applyMigrations(scripted, SCHEMA_DIR, script);

    const want = schemaOf(migrated);
    expect(want.length).toBeGreaterThan(30);
    expect(schemaOf(scripted)).toEqual(want);
    const names = (db: Database.Database) => db.prepare('SELECT name, sha256 FROM schema_migrations ORDER BY name').all();
    expect(names(scripted)).toEqual(names(migrated));
    expect(names(scripted).length).toBe(script.migrations.length);
    // Besides schema_migrations, both are empty; the columns SQLite reports match table by table.
    const rows = (db: Database.Database) => Object.fromEntries(Object.entries(tableRows(db)).filter(([t]) => t !== 'schema_migrations'));
    expect(rows(scripted)).toEqual(rows(migrated));
    for (const { name } of want.filter((r) => r.type === 'table' || r.type === 'view')) {
      const columns = (db: Database.Database) => db.prepare(`SELECT * FROM pragma_table_xinfo(?)`).all(name);
      expect(columns(scripted), name).toEqual(columns(migrated));
    }
    // And the case is up to date: applying the migrations again changes nothing.
    applyMigrations(scripted, SCHEMA_DIR, null);
    expect(schemaOf(scripted)).toEqual(want);
  });

  it('is not used for a database that already holds anything', () => {
    const script = freshCaseScript();
    const bogus = { ...script, sql: `${script.sql}\nCREATE TABLE not_from_the_migrations (x);` };
    const holding = new Database(':memory:');
    holding.exec('CREATE TABLE users_own (x)');
    applyMigrations(holding, SCHEMA_DIR, bogus);
    expect(holding.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'not_from_the_migrations'").get()).toBeUndefined();
    expect(holding.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'exec_rows'").get()).toBeDefined();
  });

  it('is used only while it stands for exactly the migrations on disk (names and sha256)', () => {
    const tmp = tempDir();
    try {
      const file = tmp.path('fresh-case.json');
      const migrations = listMigrations();
      writeFreshCaseScript(freshCaseScript(), file);
      expect(freshCaseScriptFor(migrations, file)?.sql).toBe(freshCaseScript().sql);
      const changed = migrations.map((m, i) => (i === 2 ? { ...m, sha256: '0'.repeat(64) } : m));
      expect(freshCaseScriptFor(changed, file)).toBeNull();
      const added = [...migrations, { name: '999_later.sql', sql: 'CREATE TABLE later (x);', sha256: '1'.repeat(64) }];
      expect(freshCaseScriptFor(added, file)).toBeNull();
      expect(freshCaseScriptFor(migrations, tmp.path('absent.json'))).toBeNull();
    } finally {
      tmp.cleanup();
    }
  });
});
