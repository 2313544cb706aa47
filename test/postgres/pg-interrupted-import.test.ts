import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { caseSchema } from '../../src/db/case-schema.js';
import { freshPgDatabase, PG_TEST_URL, pgQuery, warnSkippedWithoutPg } from '../support/pg-test.js';
import { BIN, runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/**
 * An import into PostgreSQL killed (SIGKILL) while its rows are being streamed into COPY, or
 * once the scratch case has committed but PostgreSQL has not, leaves the case as it was; the
 * same file then imports as if nothing had happened.
 */
warnSkippedWithoutPg('interrupted imports into PostgreSQL');
const STORY = fileURLToPath(new URL('../../samples/story.jsonl', import.meta.url));
const tmp = tempDir('pedigree-pg-kill-');
afterAll(() => tmp.cleanup());

async function rows(url: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of caseSchema().tables) {
    const r = await pgQuery(url, `SELECT t::text AS row FROM "${t.name}" t ORDER BY 1`);
    out[t.name] = r.rows.map((row) => String(row.row));
  }
  return out;
}

describe.skipIf(!PG_TEST_URL)('an import into PostgreSQL killed half way', () => {
  for (const phase of ['read, link and insert', 'commit']) {
    it(`killed when the importer's "${phase}" ends: the case is as it was, and the file imports afterwards`, async () => {
      const file = tmp.path(`gen-${phase.replace(/\W+/g, '-')}.jsonl`);
      const gen = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../bench/generate-jsonl.ts', import.meta.url)), file, '2000'], {
        encoding: 'utf8',
      });
      expect({ code: gen.status, stderr: gen.stderr }).toEqual({ code: 0, stderr: '' });
      const pgCase = await freshPgDatabase();
      try {
        expect(runCli(['import', '-q', STORY, '--db', pgCase.url]).code).toBe(0);
        const before = await rows(pgCase.url);
        const killed = spawnSync(process.execPath, [BIN, 'import', '-q', file, '--db', pgCase.url], {
          env: { ...process.env, PEDIGREE_FAULT: `${phase}:SIGKILL` },
          encoding: 'utf8',
        });
        expect(killed.signal).toBe('SIGKILL');
        // The server ends the killed client's transaction once it sees the connection gone.
        let after = await rows(pgCase.url);
        for (let i = 0; i < 50 && JSON.stringify(after) !== JSON.stringify(before); i++) {
          await new Promise((r) => setTimeout(r, 100));
          after = await rows(pgCase.url);
        }
        expect(after).toEqual(before);
        const again = runCli(['import', '--json', file, '--db', pgCase.url]);
        expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
        const result = (JSON.parse(again.stdout) as { outcome: string; capture: number; execs: number }[])[0];
        expect(result).toMatchObject({ outcome: 'imported', execs: expect.any(Number) });
        const execs = await pgQuery(pgCase.url, 'SELECT count(*)::int AS n FROM execs WHERE capture_id = $1', [result?.capture]);
        expect(execs.rows[0].n).toBe(result?.execs);
      } finally {
        await pgCase.drop();
      }
    }, 60_000);
  }
});
