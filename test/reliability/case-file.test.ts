import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-case.js';
import { cli, STORY_JSONL } from './support.js';

/** --db must name a case (or a place for a new one): anything else is refused, untouched. */
describe('what --db may point at', () => {
  const tmp = tempDir('pedigree-dbpath-');
  afterAll(() => tmp.cleanup());

  it('refuses an SQLite database of something else (exit 65) and leaves it as it was', async () => {
    const foreign = tmp.path('browser-history.sqlite');
    const other = new Database(foreign);
    other.exec("CREATE TABLE visits (url TEXT); INSERT INTO visits VALUES ('https://example.org')");
    other.close();
    const r = await cli(['import', STORY_JSONL, '--db', foreign]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${foreign} is an SQLite database that is not a pedigree case`);
    const after = new Database(foreign, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['visits']);
    after.close();
    expect((await cli(['captures', '--db', foreign])).code).toBe(65);
  });

  it('accepts an empty SQLite database or an empty file as a new case', async () => {
    const emptyDb = tmp.path('empty.sqlite');
    new Database(emptyDb).close();
    writeFileSync(tmp.path('zero.db'), '');
    for (const db of [emptyDb, tmp.path('zero.db')]) {
      expect((await cli(['import', STORY_JSONL, '--db', db, '-q'])).code).toBe(0);
      expect((await cli(['captures', '--db', db])).code).toBe(0);
    }
  });

  it('refuses a directory, a text file and /proc/version with exit 65 and a reason, read or write', async () => {
    mkdirSync(tmp.path('dir'));
    writeFileSync(tmp.path('notes.txt'), 'not a database\n'.repeat(10));
    const cases: [string, RegExp][] = [
      [tmp.path('dir'), /is a directory, not a case database file/],
      [tmp.path('notes.txt'), /is not an SQLite database/],
      ['/proc/version', /is not an SQLite database/],
    ];
    for (const [db, message] of cases) {
      for (const args of [['import', STORY_JSONL], ['captures'], ['query', 'SELECT 1']]) {
        const r = await cli([...args, '--db', db]);
        expect({ db, args, code: r.code, stderr: r.stderr }).toEqual({ db, args, code: 65, stderr: expect.stringMatching(message) });
      }
    }
  });

  it('says a missing case does not exist (exit 66)', async () => {
    const r = await cli(['ps', '--db', tmp.path('nowhere.db')]);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('no case database at');
  });
});
