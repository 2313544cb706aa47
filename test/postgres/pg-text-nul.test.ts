import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, PG_TEST_URL, pgQuery, warnSkippedWithoutPg } from '../support/pg-test.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/**
 * Text values with NUL characters (a JSON string's \u0000: evidence can carry them, no real exec
 * argument has one). SQLite stores them as they are; PostgreSQL's text cannot hold a NUL, so each
 * is stored as U+2400 and the capture says so, on both import paths, instead of failing.
 */
warnSkippedWithoutPg('NULs in text values imported into PostgreSQL');
const tmp = tempDir('pedigree-pg-nul-');
afterAll(() => tmp.cleanup());

function nulJsonl(): string {
  const path = tmp.path('nul.jsonl');
  const ev = (o: Record<string, unknown>) => JSON.stringify({ host: 'nul-host', ...o });
  writeFileSync(
    path,
    `${[
      ev({ kind: 'snapshot', pid: 100, ppid: 1, comm: 'bash', exe: '/bin/bash', args: [], uid: 0, ts: '1000000000000' }),
      ev({ kind: 'exec', pid: 200, ppid: 100, comm: 'curl', exe: 'curl', args: ['-s', 'a\u0000b'], cwd: '/x\u0000y', ts: '1000500000000' }),
    ].join('\n')}\n`,
  );
  return path;
}

describe.skipIf(!PG_TEST_URL)('NULs in text values on PostgreSQL', () => {
  for (const stream of ['1', '0']) {
    it(`are stored as U+2400 and reported (${stream === '1' ? 'streamed' : 'through the scratch case'})`, async () => {
      const file = nulJsonl();
      const db = await freshPgDatabase();
      try {
        const r = runCli(['import', file, '--db', db.url, '--json'], { env: { PEDIGREE_PG_STREAM: stream } });
        expect({ code: r.code, stderr: r.stderr }).toEqual({
          code: 0,
          stderr: `warning: ${file}: 3 text values held NUL characters, which PostgreSQL text cannot store: each NUL is stored as U+2400 (\u2400)\n`,
        });
        expect((JSON.parse(r.stdout) as unknown[])[0]).toMatchObject({ outcome: 'imported', execs: 3, warnings: 1 });
        const row = await pgQuery(db.url, `SELECT args, cmdline, cwd FROM execs WHERE pid = 200 AND kind = 'exec'`);
        expect(row.rows).toEqual([{ args: '-s a\u2400b', cmdline: 'curl -s a\u2400b', cwd: '/x\u2400y' }]);
        const warnings = await pgQuery(db.url, 'SELECT c.warning_count, w.message FROM capture_warnings w JOIN captures c USING (capture_id)');
        expect(warnings.rows).toEqual([{ warning_count: '1', message: expect.stringContaining('3 text values held NUL characters') }]);
      } finally {
        await db.drop();
      }
    });
  }

  it('SQLite keeps them as they are', () => {
    const file = nulJsonl();
    const path = tmp.path('nul.db');
    const r = runCli(['import', '-q', file, '--db', path]);
    expect(r.code).toBe(0);
    const q = runCli(['query', '--db', path, '--json', "SELECT hex(args) AS args FROM execs WHERE pid = 200 AND kind = 'exec'"]);
    expect(JSON.parse(q.stdout)).toEqual([{ args: '2D7320610062' }]);
  });
});

describe.skipIf(!PG_TEST_URL)('NULs in text values copied into PostgreSQL', () => {
  it('are stored as U+2400, and the copy says so', async () => {
    const path = tmp.path('copy-src.db');
    expect(runCli(['import', '-q', nulJsonl(), '--db', path]).code).toBe(0);
    const db = await freshPgDatabase();
    try {
      const r = runCli(['copy', '--from', path, '--to', db.url, '--json']);
      expect({ code: r.code, stderr: r.stderr }).toEqual({
        code: 0,
        stderr: 'warning: 3 text values held NUL characters, which PostgreSQL text cannot store: each NUL is stored as U+2400 (\u2400)\n',
      });
      const row = await pgQuery(db.url, `SELECT args, cwd FROM execs WHERE pid = 200 AND kind = 'exec'`);
      expect(row.rows).toEqual([{ args: '-s a\u2400b', cwd: '/x\u2400y' }]);
    } finally {
      await db.drop();
    }
  });
});
