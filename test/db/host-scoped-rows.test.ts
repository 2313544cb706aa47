import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, listMigrations, SCHEMA_DIR } from '../../src/db/migrate.js';
import { tempDir } from '../support/temp-case.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A version-5 case with two hosts and a row of each table that gains host_id in version 6. */
function version5Case(path: string): Database.Database {
  const dir = tmp.path(`schema-v5-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  for (const m of listMigrations().filter((m) => m.name < '006')) copyFileSync(join(SCHEMA_DIR, m.name), join(dir, m.name));
  const db = new Database(path);
  db.pragma('foreign_keys = OFF');
  applyMigrations(db, dir);
  db.exec(`
    INSERT INTO hosts (host_id, hostname) VALUES (1, 'web'), (2, 'db');
    INSERT INTO captures (capture_id, path, sha256, size_bytes, format, importer, imported_ns, status, host_id)
      VALUES (1, 'a', 'x', 1, 'jsonl', 'p', 1, 'complete', 1), (2, 'b', 'y', 1, 'falco-alerts', 'p', 1, 'complete', 2);
    INSERT INTO processes (process_id, capture_id, host_id, pid, origin) VALUES (10, 1, 2, 100, 'observed');
    INSERT INTO execs (exec_id, process_id, capture_id, host_id, kind, pid, name, res) VALUES (20, 10, 1, 2, 'exec', 100, 'sh', 0);
    INSERT INTO alerts (alert_id, exec_id, rule, priority, output, origin, run_ns) VALUES (1, 20, 'r', 'Warning', 'o', 'pedigree rules run', 1);
    INSERT INTO alerts (alert_id, exec_id, rule, priority, output, origin, capture_id, run_ns) VALUES (2, NULL, 'imported', 'Notice', 'o', 'falco-alerts', 2, 1);
    INSERT INTO alert_links (alert_id, host_id, container_id) VALUES (2, 1, 'abcdef012345');
    INSERT INTO alerts (alert_id, exec_id, rule, priority, output, origin, capture_id, run_ns) VALUES (3, NULL, 'unnamed', 'Notice', 'o', 'falco-alerts', 2, 1);
    INSERT INTO chains (chain_match_id, chain, priority, host_id, first_exec_id, last_exec_id, start_ns, end_ns, output, run_ns)
      VALUES (5, 'c', 'Warning', 2, 20, 20, 1, 1, 'o', 1);
    INSERT INTO chain_steps (chain_match_id, step_index, step, exec_id, ts_ns) VALUES (5, 0, 'first', 20, 1);
    INSERT INTO exec_sources (exec_id, capture_id, ts_ns, cmdline) VALUES (20, 2, 1, 'sh -c x');
  `);
  return db;
}

describe('schema version 6: every host-scoped row names its host', () => {
  it('upgrades a version-5 case: alerts, alert links, chain steps and exec sources get the host of what they hang off', () => {
    const db = version5Case(tmp.path('upgrade.db'));
    const before = db.prepare('SELECT count(*) FROM alerts').pluck().get();
    applyMigrations(db);
    const rows = (sql: string) => db.prepare(sql).raw().all();
    // A rules-run alert: its exec's host; an imported one: the host it names, else its capture's.
    expect(rows('SELECT alert_id, host_id FROM alerts ORDER BY alert_id')).toEqual([
      [1, 2],
      [2, 1],
      [3, 2],
    ]);
    expect(db.prepare('SELECT count(*) FROM alerts').pluck().get()).toBe(before);
    expect(rows('SELECT alert_id, host_id, container_id FROM alert_links')).toEqual([[2, 1, 'abcdef012345']]);
    expect(rows('SELECT chain_match_id, step_index, host_id FROM chain_steps')).toEqual([[5, 0, 2]]);
    expect(rows('SELECT exec_id, capture_id, cmdline, host_id FROM exec_sources')).toEqual([[20, 2, 'sh -c x', 2]]);
    expect(rows('SELECT exec_id, capture_id, first_source FROM exec_all_sources ORDER BY first_source DESC')).toEqual([
      [20, 1, 1],
      [20, 2, 0],
    ]);
    for (const table of ['alerts', 'alert_links', 'chain_steps', 'exec_sources']) {
      const hostId = (db.pragma(`table_info(${table})`) as { name: string; notnull: number }[]).find((c) => c.name === 'host_id');
      expect({ table, notNull: hostId?.notnull }).toEqual({ table, notNull: 1 });
    }
    for (const ix of ['alerts_exec', 'alert_links_container', 'chain_steps_exec', 'exec_sources_exec']) {
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(ix)).toBe(1);
    }
    db.pragma('foreign_keys = ON');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('a row written without its host is refused', () => {
    const db = new Database(':memory:');
    applyMigrations(db);
    expect(() => db.prepare(`INSERT INTO alerts (rule, priority, output, origin, run_ns) VALUES ('r', 'Warning', 'o', 'test', 1)`).run()).toThrow(
      /NOT NULL constraint failed: alerts.host_id/,
    );
    db.close();
  });
});
