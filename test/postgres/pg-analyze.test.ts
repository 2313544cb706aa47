import { describe, expect, it } from 'vitest';
import { caseSchema } from '../../src/db/case-schema.js';
import { plannerColumns } from '../../src/db/postgres/analyze-case.js';
import { PG_TEST_URL, pgQuery, scratchPgDatabase, warnSkippedWithoutPg } from '../support/pg-test.js';
import { runCli } from '../support/run-cli.js';

warnSkippedWithoutPg('planner statistics after a PostgreSQL import');

const SAMPLE = new URL('../../samples/story.jsonl', import.meta.url).pathname;

/** Tables of the case the planner has statistics for (ANALYZE fills pg_stats). */
async function analyzedTables(url: string): Promise<string[]> {
  const r = await pgQuery(url, "SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = 'public' AND tablename IN ('execs', 'processes') ORDER BY 1");
  return r.rows.map((row) => row.tablename as string);
}

describe.skipIf(!PG_TEST_URL)('a PostgreSQL case is analyzed after a bulk write, so the first queries are planned with statistics', () => {
  const scratch = scratchPgDatabase({ migrated: true });

  it('import: execs and processes have statistics as soon as the import returns', async () => {
    expect(await analyzedTables(scratch.url)).toEqual([]);
    const r = runCli(['import', SAMPLE, '--db', scratch.url, '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await analyzedTables(scratch.url)).toEqual(['execs', 'processes']);
    // Lineage walks join on these: each has its statistics (the other columns are autovacuum's).
    for (const name of ['execs', 'processes']) {
      const table = caseSchema().tables.find((t) => t.name === name);
      const columns = plannerColumns(table ?? { name, columns: [], primaryKey: [], unique: [] }, caseSchema());
      expect(columns).toEqual(
        expect.arrayContaining(name === 'execs' ? ['exec_id', 'parent_exec_id', 'host_id'] : ['process_id', 'parent_process_id', 'host_id']),
      );
      const r = await pgQuery(scratch.url, "SELECT attname FROM pg_stats WHERE schemaname = 'public' AND tablename = $1 ORDER BY 1", [name]);
      expect(r.rows.map((row) => row.attname as string)).toEqual([...columns].sort());
    }
  }, 120_000);
});
