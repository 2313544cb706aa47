import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, listMigrations, SCHEMA_DIR } from '../../src/db/migrate.js';
import { tempDir } from '../support/temp-case.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Exec rows through the view, with container ids and event types as version 5 stored them inline. */
const ROWS: [number, string | null, string | null, string | null][] = [
  // exec_id, container_id, evt_type, cwd
  [1, '3f9a1c0e2b7d', 'execve', '/app'],
  [2, '3f9a1c0e2b7d', 'execveat', '3f9a1c0e2b7d'],
  [3, null, 'clone', '/'],
  [4, '000000000042', null, null],
  [5, 'host-runtime-name', 'execve', 'execve'],
  [6, null, null, null],
];

function insertRows(db: Database.Database): void {
  const insert = db.prepare(`INSERT INTO execs (exec_id, process_id, capture_id, host_id, kind, pid, name, cmdline, container_id, evt_type, cwd)
    VALUES (?, ?, 1, 1, 'exec', ?, 'sh', 'sh -c x', ?, ?, ?)`);
  for (const [id, container, evtType, cwd] of ROWS) insert.run(id, id, 100 + id, container, evtType, cwd);
}

function dump(db: Database.Database, sql: string): string {
  return JSON.stringify(db.prepare(sql).safeIntegers(true).raw().all(), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

function schemaBefore006(): string {
  const dir = tmp.path('schema-v5');
  mkdirSync(dir);
  for (const m of listMigrations().filter((m) => m.name < '006')) copyFileSync(join(SCHEMA_DIR, m.name), join(dir, m.name));
  return dir;
}

describe('schema version 6: container ids and event types stored once', () => {
  it('upgrades a version-5 case: every exec reads back exactly as before, typed as before', () => {
    const db = new Database(tmp.path('upgrade.db'));
    db.pragma('foreign_keys = OFF');
    applyMigrations(db, schemaBefore006());
    insertRows(db);
    const before = dump(db, 'SELECT *, typeof(container_id), typeof(evt_type) FROM execs ORDER BY exec_id');
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('exec_rows') WHERE name = 'container_id'").pluck().get()).toBe(1);
    applyMigrations(db);
    expect(dump(db, 'SELECT *, typeof(container_id), typeof(evt_type) FROM execs ORDER BY exec_id')).toBe(before);
    const columns = db.prepare("SELECT name FROM pragma_table_info('exec_rows')").pluck().all();
    expect(columns).toEqual(expect.arrayContaining(['container_sid', 'evt_type_id']));
    expect(columns).not.toEqual(expect.arrayContaining(['container_id']));
    expect(columns).not.toEqual(expect.arrayContaining(['evt_type']));
    // One string per distinct value, shared with the other string columns (cwd '3f9a1c0e2b7d').
    expect(db.prepare("SELECT count(*) FROM strings WHERE value IN ('3f9a1c0e2b7d', 'execve')").pluck().get()).toBe(2);
    expect(db.prepare('SELECT count(DISTINCT container_sid) FROM exec_rows WHERE container_sid IS NOT NULL').pluck().get()).toBe(3);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'execs_container'").get()).toBeUndefined();
    // Writes through the view after the upgrade.
    db.prepare("UPDATE execs SET container_id = 'abcdefabcdef', evt_type = 'execve' WHERE exec_id = 6").run();
    db.prepare(
      "INSERT INTO execs (exec_id, process_id, capture_id, host_id, kind, pid, container_id, evt_type) VALUES (7, 7, 1, 1, 'fork', 7, '3f9a1c0e2b7d', 'fork')",
    ).run();
    expect(db.prepare('SELECT exec_id, container_id, evt_type FROM execs WHERE exec_id >= 6 ORDER BY exec_id').raw().all()).toEqual([
      [6, 'abcdefabcdef', 'execve'],
      [7, '3f9a1c0e2b7d', 'fork'],
    ]);
    expect(db.prepare("SELECT count(*) FROM execs WHERE container_id = '3f9a1c0e2b7d'").pluck().get()).toBe(3);
    db.close();
  });
});
