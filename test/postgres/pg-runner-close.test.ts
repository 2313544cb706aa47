import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresForWrite } from '../../src/db/postgres/open-postgres.js';
import { createQueryRunner, QueryCancelled } from '../../src/db/read-query-runner.js';
import { freshPgDatabase, PG_TEST_URL, pgQuery, warnSkippedWithoutPg } from '../support/pg-test.js';

/**
 * Closing the TUI's query runner while a statement runs on the server stops the statement there
 * (ending the worker thread alone would leave it running to its timeout), and close() returns
 * once the connection that delivered the cancel has ended, so nothing of the runner outlives it.
 */
warnSkippedWithoutPg('closing a query runner on PostgreSQL');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function backends(adminUrl: string, database: string, like: string): Promise<number> {
  const r = await pgQuery(adminUrl, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query LIKE $2 AND pid <> pg_backend_pid()', [
    database,
    like,
  ]);
  return Number(r.rows[0].n);
}

describe.skipIf(!PG_TEST_URL)('a query runner on PostgreSQL closed mid-statement', () => {
  const dropped: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of dropped) await drop();
  });

  it('stops the statement on the server; the connection that cancelled it has ended when close() returns', async () => {
    const admin = PG_TEST_URL as string;
    const db = await freshPgDatabase();
    dropped.push(db.drop);
    openPostgresForWrite(db.url).close();
    const marker = `runner_close_${process.pid}_${Date.now()}`;
    const runner = createQueryRunner(db.url);
    const answer = runner.run(`SELECT pg_sleep(60) AS ${marker}`, [], 10).catch((err: unknown) => err);
    for (let i = 0; i < 200 && (await backends(admin, db.name, `%${marker}%`)) === 0; i++) await sleep(50);
    expect(await backends(admin, db.name, `%${marker}%`)).toBe(1);

    await runner.close();
    expect(await answer).toBeInstanceOf(QueryCancelled);
    // pg_cancel_backend has answered before close() returned: its own connection has ended.
    expect(await backends(admin, db.name, '%pg_cancel_backend%')).toBe(0);
    for (let i = 0; i < 100 && (await backends(admin, db.name, `%${marker}%`)) > 0; i++) await sleep(50);
    expect(await backends(admin, db.name, `%${marker}%`)).toBe(0);
  });
});
