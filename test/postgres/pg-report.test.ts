import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, PG_TEST_URL, warnSkippedWithoutPg } from '../support/pg-test.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/**
 * `pedigree report` on PostgreSQL writes the page it writes on SQLite: the bundled sample with
 * the Log4Shell and Tetragon attack datasets, chains and rules run and stored, copied over.
 * Only the case's name and the time of writing may differ; a password in the URL never shows.
 */
warnSkippedWithoutPg('report on PostgreSQL');

const SHARED = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const LOG4SHELL = join(SHARED, 'otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json');
const TETRAGON_CH3 = join(SHARED, 'tetragon/docs-sec-obs-ch3');
const HAVE_SHARED = existsSync(LOG4SHELL) && existsSync(TETRAGON_CH3);
if (PG_TEST_URL && !HAVE_SHARED) console.warn(`SKIPPING report on PostgreSQL: ${SHARED} is absent`);
const SAMPLE = fileURLToPath(new URL('../../samples/story.jsonl', import.meta.url));
const RULES = fileURLToPath(new URL('../../samples/rules/spawn-shell-in-container.yaml', import.meta.url));

function jsonUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? jsonUnder(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []))
    .sort();
}

/** The page with the case's name and the time of writing taken out. */
function comparable(html: string, caseName: string): string {
  return html.replaceAll(caseName, 'CASE').replace(/written \d{4}-\d\d-\d\dT[\d:.]+Z/, 'written TIME');
}

describe.skipIf(!PG_TEST_URL || !HAVE_SHARED)('report on PostgreSQL', () => {
  const tmp = tempDir('pedigree-pg-report-');
  const sqlite = tmp.path('case.db');
  let url = '';
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    expect(runCli(['import', SAMPLE, LOG4SHELL, ...jsonUnder(TETRAGON_CH3), '--db', sqlite, '-q']).code).toBe(0);
    expect(runCli(['chains', 'run', '--db', sqlite, '-q']).code).toBe(0);
    expect(runCli(['rules', 'run', RULES, '--db', sqlite, '-q']).code).toBe(0);
    const fresh = await freshPgDatabase();
    // The test cluster trusts local connections: the password is never checked, only carried.
    url = fresh.url.replace('postgres://postgres@', 'postgres://postgres:s3cret-pw@');
    drop = fresh.drop;
    expect(runCli(['copy', '--from', sqlite, '--to', url]).code).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await drop();
    tmp.cleanup();
  });

  for (const [name, filters] of [
    ['the whole case', []],
    ['one host, severe findings only', ['--host', 'node-1', '--min-priority', 'error']],
  ] as const) {
    it(`writes the same page as on SQLite: ${name}`, () => {
      const a = tmp.path('sqlite.html');
      const b = tmp.path('postgres.html');
      const onSqlite = runCli(['report', '--db', sqlite, '--out', a, ...filters]);
      const onPg = runCli(['report', '--db', url, '--out', b, ...filters]);
      expect(onSqlite.code, onSqlite.stderr).toBe(0);
      expect(onPg.code, onPg.stderr).toBe(0);
      const htmlA = readFileSync(a, 'utf8');
      const htmlB = readFileSync(b, 'utf8');
      expect(htmlA).toContain('<article');
      expect(htmlB).not.toContain('s3cret-pw');
      expect(htmlB).toContain('postgres://postgres:***@');
      expect(comparable(htmlB, url.replace('s3cret-pw', '***').replaceAll('&', '&#38;'))).toEqual(comparable(htmlA, sqlite));
    }, 120_000);
  }
});
