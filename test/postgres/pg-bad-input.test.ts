import { describe, expect, it } from 'vitest';
import { openPostgresForWrite } from '../../src/db/postgres/open-postgres.js';
import { scratchPgDatabase, PG_TEST_URL, pgQuery, warnSkippedWithoutPg } from '../support/pg-test.js';
import { runCli } from '../support/run-cli.js';

const STORY = new URL('../../samples/story.jsonl', import.meta.url).pathname;

warnSkippedWithoutPg('bad PostgreSQL targets');

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0] as string;
}

describe('bad PostgreSQL targets: one line, exit 66 or 65, nothing written', () => {
  it('an unreachable server (no socket) is exit 66 naming the URL without its password', () => {
    for (const args of [['ps'], ['import', STORY]]) {
      const r = runCli([...args, '--db', 'postgres://someone:secret@/nocase?host=/nonexistent-socket-dir&port=1']);
      expect(r.code).toBe(66);
      const line = oneLine(r.stderr);
      expect(line).toMatch(/cannot reach PostgreSQL at postgres:\/\/someone:\*\*\*@\/nocase/);
      expect(line).not.toContain('secret');
    }
  });

  describe.skipIf(!PG_TEST_URL)('on a running server', () => {
    const scratch = scratchPgDatabase({ migrated: false });

    it('a database that does not exist is exit 66', () => {
      const r = runCli(['captures', '--db', scratch.url.replace(/\/pedigree_t_\w+/, '/no_such_case_db')]);
      expect(r.code).toBe(66);
      expect(oneLine(r.stderr)).toMatch(/no such PostgreSQL database/);
    });

    it('wrong credentials are exit 66, for a reader and an importer, and nothing is written', async () => {
      for (const args of [['captures'], ['import', STORY]]) {
        const r = runCli([...args, '--db', scratch.url.replace('postgres://postgres@', 'postgres://nobody_here@')]);
        expect(r.code).toBe(66);
        expect(oneLine(r.stderr)).toMatch(/PostgreSQL at .* (refused the credentials|nobody_here)/);
      }
      const tables = await pgQuery(scratch.url, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.rows[0].n).toBe(0);
    });

    it('a database that is not a pedigree case is exit 65 and stays untouched', async () => {
      await pgQuery(scratch.url, 'CREATE TABLE notes (id int)');
      for (const args of [
        ['captures'],
        ['rules', 'run', new URL('../../samples/rules/spawn-shell-in-container.yaml', import.meta.url).pathname],
        ['import', STORY],
      ]) {
        const r = runCli([...args, '--db', scratch.url]);
        expect(r.code).toBe(65);
        expect(oneLine(r.stderr)).toMatch(/not a pedigree case database/);
      }
      const tables = await pgQuery(scratch.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
      expect(tables.rows.map((r) => r.tablename)).toEqual(['notes']);
      await pgQuery(scratch.url, 'DROP TABLE notes');
    });

    it('a case written by a newer pedigree is exit 65 for readers and writers', async () => {
      openPostgresForWrite(scratch.url).close();
      expect(runCli(['ps', '--db', scratch.url]).code).toBe(0);
      await pgQuery(scratch.url, "INSERT INTO schema_migrations VALUES ('999_future.sql', 'x', 0)");
      for (const args of [['ps'], ['chains', 'run'], ['import', STORY]]) {
        const r = runCli([...args, '--db', scratch.url]);
        expect(r.code).toBe(65);
        expect(oneLine(r.stderr)).toMatch(/written by a newer pedigree/);
      }
      const captures = await pgQuery(scratch.url, 'SELECT count(*)::int AS n FROM captures');
      expect(captures.rows[0].n).toBe(0);
    });
  });
});
