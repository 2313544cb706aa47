import { SAME_ALERT_SQL } from '../../src/importer/same-alert-sql.js';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyMigrations, listMigrations, SCHEMA_DIR } from '../../src/db/migrate.js';

/** Columns documented with a trailing `-- comment` in the schema files, per table. */
function documentedColumns(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of listMigrations()) {
    for (const block of m.sql.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\n\);/g)) {
      const cols = new Set<string>();
      for (const line of (block[2] ?? '').split('\n')) {
        const c = /^\s+(\w+)\s+[A-Z]+.*--\s*\S/.exec(line);
        if (c?.[1]) cols.add(c[1]);
      }
      out.set(block[1] ?? '', cols);
    }
    for (const added of m.sql.matchAll(/^ALTER TABLE (\w+) ADD COLUMN (\w+) [A-Z]+.*--\s*\S/gm)) {
      out.get(added[1] ?? '')?.add(added[2] ?? '');
    }
    // A table rebuilt under a new name and renamed back keeps what either documents.
    for (const renamed of m.sql.matchAll(/^ALTER TABLE (\w+) RENAME TO (\w+);/gm)) {
      const target = out.get(renamed[2] ?? '') ?? new Set<string>();
      for (const c of out.get(renamed[1] ?? '') ?? []) target.add(c);
      out.set(renamed[2] ?? '', target);
    }
  }
  return out;
}

describe('case schema', () => {
  it('documents every column of every table in the schema file', () => {
    const db = new Database(':memory:');
    applyMigrations(db);
    const documented = documentedColumns();
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations'").all() as { name: string }[]).map(
      (t) => t.name,
    );
    expect(tables.length).toBeGreaterThanOrEqual(8);
    for (const table of tables) {
      const cols = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
      expect({ table, undocumented: cols.filter((c) => !documented.get(table)?.has(c)) }).toEqual({ table, undocumented: [] });
    }
  });

  it('records each migration once and refuses a changed schema file', () => {
    const db = new Database(':memory:');
    applyMigrations(db);
    applyMigrations(db);
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: listMigrations().length });
    db.prepare('UPDATE schema_migrations SET sha256 = ?').run('0'.repeat(64));
    expect(() => applyMigrations(db)).toThrow(/changed after it was applied/);
    expect(readFileSync(`${SCHEMA_DIR}/001_case.sql`, 'utf8')).toContain('CREATE TABLE execs');
  });

  it('answers a filtered exec_lineage query through primary-key lookups only', () => {
    const db = new Database(':memory:');
    applyMigrations(db);
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT * FROM exec_lineage WHERE exec_id = 5').all() as { detail: string }[]).map((r) => r.detail);
    expect(plan.every((d) => d.includes('INTEGER PRIMARY KEY'))).toBe(true);
  });
  it('finds an alert that another capture already brought in one index probe: host, time, output key and the alerts before this import', () => {
    const db = new Database(':memory:');
    applyMigrations(db);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${SAME_ALERT_SQL}`).all(1, 1n, 7, 10, 'r', 'o', 1) as { detail: string }[]).map((r) => r.detail);
    expect(plan).toEqual([expect.stringContaining('USING INDEX alerts_same (host_id=? AND time_ns=? AND output_key=? AND rowid<?)')]);
  });
});
