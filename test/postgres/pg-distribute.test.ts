import { describe, expect, it } from 'vitest';
import { scratchPgDatabase, PG_TEST_URL, pgQuery, warnSkippedWithoutPg } from '../support/pg-test.js';
import { runCli } from '../support/run-cli.js';

warnSkippedWithoutPg('pedigree db distribute');

describe('pedigree db distribute', () => {
  it('refuses a SQLite case with a usage error', () => {
    const r = runCli(['db', 'distribute', '--db', '/nonexistent/case.db']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a PostgreSQL case/);
  });

  describe.skipIf(!PG_TEST_URL)('on PostgreSQL without the citus extension', () => {
    const scratch = scratchPgDatabase({ migrated: true });

    it('explains what it would run: host-scoped tables by host_id, co-located with execs; the rest as reference tables', async () => {
      const before = (await pgQuery(scratch.url, "SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace")).rows[0].n;
      const r = runCli(['db', 'distribute', '--db', scratch.url]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/citus extension is not installed/);
      expect(r.stdout).toContain("SELECT create_distributed_table('execs', 'host_id');");
      expect(r.stdout).toContain("SELECT create_distributed_table('processes', 'host_id', colocate_with => 'execs');");
      for (const t of ['chains', 'chain_steps', 'alerts', 'alert_links', 'exec_sources']) {
        expect(r.stdout).toContain(`SELECT create_distributed_table('${t}', 'host_id', colocate_with => 'execs');`);
        expect(r.stdout).not.toContain(`SELECT create_reference_table('${t}');`);
      }
      for (const t of ['hosts', 'captures', 'containers']) expect(r.stdout).toContain(`SELECT create_reference_table('${t}');`);
      const after = (await pgQuery(scratch.url, "SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace")).rows[0].n;
      expect(after).toBe(before);
    }, 60_000);
  });
});
