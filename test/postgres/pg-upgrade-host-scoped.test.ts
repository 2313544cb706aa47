import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresForWrite } from '../../src/db/postgres/open-postgres.js';
import { freshPgDatabase, PG_TEST_URL, pgQuery, warnSkippedWithoutPg } from '../support/pg-test.js';

warnSkippedWithoutPg('PostgreSQL case upgrade to host-scoped alerts, chain steps and exec sources');

const OLD_KEYS: Record<string, string> = { alerts: 'alert_id', chain_steps: 'chain_match_id, step_index' };

describe.skipIf(!PG_TEST_URL)('a PostgreSQL case from schema version 5 upgrades to version 6', () => {
  let url = '';
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const fresh = await freshPgDatabase();
    url = fresh.url;
    drop = fresh.drop;
    openPostgresForWrite(url).close();
    // Back to version 5's shape: no host_id in alerts, chain_steps, exec_sources; alert_links' nullable.
    for (const table of ['alerts', 'chain_steps', 'exec_sources']) {
      await pgQuery(url, `ALTER TABLE ${table} DROP COLUMN host_id CASCADE`);
      if (OLD_KEYS[table]) await pgQuery(url, `ALTER TABLE ${table} ADD PRIMARY KEY (${OLD_KEYS[table]})`);
    }
    await pgQuery(url, 'ALTER TABLE alert_links DROP CONSTRAINT alert_links_pkey');
    await pgQuery(url, 'ALTER TABLE alert_links ALTER COLUMN host_id DROP NOT NULL');
    await pgQuery(url, 'ALTER TABLE alert_links ADD PRIMARY KEY (alert_id)');
    await pgQuery(url, "DELETE FROM schema_migrations WHERE name = '006_host_scoped_rows.sql'");
    await pgQuery(
      url,
      `INSERT INTO hosts (host_id, hostname) VALUES (1, 'web'), (2, 'db');
       INSERT INTO captures (capture_id, path, sha256, size_bytes, format, importer, imported_ns, status, event_count, process_count, exec_count, warning_count, host_id)
         VALUES (1, 'a', 'x', 1, 'jsonl', 'p', 1, 'complete', 0, 0, 0, 0, 1), (2, 'b', 'y', 1, 'falco-alerts', 'p', 1, 'complete', 0, 0, 0, 0, 2);
       INSERT INTO processes (process_id, capture_id, host_id, pid, origin, thread_count) VALUES (10, 1, 2, 100, 'observed', 1);
       INSERT INTO execs (exec_id, process_id, capture_id, host_id, kind, pid, name, res) VALUES (20, 10, 1, 2, 'exec', 100, 'sh', 0);
       INSERT INTO alerts (alert_id, exec_id, rule, priority, output, origin, run_ns) VALUES (1, 20, 'r', 'Warning', 'o', 'pedigree rules run', 1);
       INSERT INTO alerts (alert_id, exec_id, rule, priority, output, origin, capture_id, run_ns) VALUES (2, NULL, 'imported', 'Notice', 'o', 'falco-alerts', 2, 1);
       INSERT INTO alert_links (alert_id, host_id, container_id) VALUES (2, 1, 'abcdef012345');
       INSERT INTO chains (chain_match_id, chain, priority, host_id, first_exec_id, last_exec_id, start_ns, end_ns, output, run_ns)
         VALUES (5, 'c', 'Warning', 2, 20, 20, 1, 1, 'o', 1);
       INSERT INTO chain_steps (chain_match_id, step_index, step, exec_id, ts_ns) VALUES (5, 0, 'first', 20, 1);
       INSERT INTO exec_sources (exec_id, capture_id, ts_ns, cmdline) VALUES (20, 2, 1, 'sh -c x');`,
    );
  }, 120_000);
  afterAll(async () => drop());

  it('fills host_id from what each row hangs off and puts it at the head of the primary key', async () => {
    openPostgresForWrite(url).close();
    const rows = async (sql: string) => (await pgQuery(url, sql)).rows.map((r) => Object.values(r).map(String));
    expect(await rows('SELECT alert_id, host_id FROM alerts ORDER BY alert_id')).toEqual([
      ['1', '2'],
      ['2', '1'],
    ]);
    expect(await rows('SELECT alert_id, host_id FROM alert_links')).toEqual([['2', '1']]);
    expect(await rows('SELECT chain_match_id, host_id FROM chain_steps')).toEqual([['5', '2']]);
    expect(await rows('SELECT exec_id, host_id FROM exec_sources')).toEqual([['20', '2']]);
    const keys = await rows(`SELECT c.conrelid::regclass::text, pg_get_constraintdef(c.oid) FROM pg_constraint c
      WHERE c.contype = 'p' AND c.conrelid::regclass::text IN ('alerts', 'alert_links', 'chain_steps') ORDER BY 1`);
    expect(keys).toEqual([
      ['alert_links', 'PRIMARY KEY (host_id, alert_id)'],
      ['alerts', 'PRIMARY KEY (host_id, alert_id)'],
      ['chain_steps', 'PRIMARY KEY (host_id, chain_match_id, step_index)'],
    ]);
    // exec_sources has no key in SQLite and none here: host_id alone would refuse a host's second source.
    expect(await rows(`SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND conrelid = 'exec_sources'::regclass`)).toEqual([['0']]);
    const notNull = await rows(`SELECT table_name, is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'host_id' AND table_name IN ('alerts', 'alert_links', 'chain_steps', 'exec_sources') ORDER BY 1`);
    expect(notNull).toEqual([
      ['alert_links', 'NO'],
      ['alerts', 'NO'],
      ['chain_steps', 'NO'],
      ['exec_sources', 'NO'],
    ]);
    expect(await rows("SELECT count(*) FROM schema_migrations WHERE name = '006_host_scoped_rows.sql'")).toEqual([['1']]);
  });
});
