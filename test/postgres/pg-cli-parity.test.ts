import { existsSync, readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseSchema } from '../../src/db/case-schema.js';
import { freshPgDatabase, PG_TEST_URL, warnSkippedWithoutPg } from '../support/pg-test.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

warnSkippedWithoutPg('lineage CLI parity on PostgreSQL');

const SAMPLE = new URL('../../samples/story.jsonl', import.meta.url).pathname;
const SAMPLE_RULES = new URL('../../samples/rules/', import.meta.url).pathname;
const SHARED_SCAP = new URL('../../../shared/captures/bencer-examples__example0_nginx_v2.scap', import.meta.url).pathname;

/** Commands whose output must be byte for byte the same on both backends. */
const QUERIES: string[][] = [
  ['captures'],
  ['containers'],
  ['ps'],
  ['ps', '--name', 'cat', '--json'],
  ['tree'],
  ['ancestors', '--pid', '4004'],
  ['ancestors', '--pid', '4004', '--json'],
  ['descendants', '--pid', '2301'],
  // A subtree larger than the limit: the images are read after the walk (one statement otherwise).
  ['descendants', '--pid', '2301', '--limit', '2'],
  ['descendants', '--pid', '2301', '--depth', '1', '--json'],
  ['tree', '--limit', '5'],
  ['tree', '--depth', '2', '--json'],
  ['execs'],
  ['execs', '-p', '%proc.name %proc.pname %proc.aname[2] %container.name %proc.env[PATH] %user.name'],
  ['query', 'SELECT kind, count(*) AS n FROM execs GROUP BY kind ORDER BY kind'],
  ['query', 'SELECT * FROM exec_details ORDER BY exec_id'],
  ['queries', 'run', 'ancestors', '--param', 'exec_id=16'],
  ['queries', 'run', 'descendants', '--param', 'exec_id=5'],
  ['queries', 'run', 'container-process-counts'],
  ['queries', 'run', 'execs-from-tmp'],
  ['queries', 'run', 'longest-chains', '--param', 'limit=5'],
  ['queries', 'run', 'parent-exited-first'],
  ['queries', 'run', 'shells-spawned-in-containers'],
];

describe.skipIf(!PG_TEST_URL)('the CLI on PostgreSQL answers as on SQLite', () => {
  const tmp = tempDir('pedigree-pg-parity-');
  const sqlite = tmp.path('case.db');
  let url = '';
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const inputs = [SAMPLE, ...(existsSync(SHARED_SCAP) ? [SHARED_SCAP] : [])];
    expect(runCli(['import', ...inputs, '--db', sqlite]).code).toBe(0);
    const fresh = await freshPgDatabase();
    url = fresh.url;
    drop = fresh.drop;
    const copied = runCli(['copy', '--from', sqlite, '--to', url]);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await drop();
    tmp.cleanup();
  });

  it.each(QUERIES.map((q) => [q.join(' '), q]))(
    '%s',
    (_name, args) => {
      const a = runCli([...(args as string[]), '--db', sqlite]);
      const b = runCli([...(args as string[]), '--db', url]);
      expect(a.code).toBe(0);
      expect({ code: b.code, stdout: b.stdout, stderr: b.stderr }).toEqual({ code: a.code, stdout: a.stdout, stderr: a.stderr });
    },
    60_000,
  );

  it('copies back into a SQLite file holding exactly the same rows', () => {
    const back = tmp.path('back.db');
    const r = runCli(['copy', '--from', url, '--to', back]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const a = new Database(sqlite, { readonly: true });
    const b = new Database(back, { readonly: true });
    a.defaultSafeIntegers(true);
    b.defaultSafeIntegers(true);
    // Every table as readers see it (execs through its view: the storage tables' string ids may differ).
    const tables = caseSchema().tables;
    expect(tables.map((t) => t.name)).toContain('execs');
    for (const { name: t, columns } of tables) {
      const order = columns.map((_c, i) => i + 1).join(', ');
      const dump = (db: Database.Database) => db.prepare(`SELECT * FROM "${t}" ORDER BY ${order}`).raw(true).all();
      expect({ t, rows: dump(b) }).toEqual({ t, rows: dump(a) });
    }
    a.close();
    b.close();
  }, 120_000);

  it('rules run and chains run find and store the same alerts and chain matches', () => {
    const rules = readdirSync(SAMPLE_RULES)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => SAMPLE_RULES + f);
    for (const args of [
      ['rules', 'run', ...rules],
      ['chains', 'run'],
    ]) {
      const a = runCli([...args, '--db', sqlite]);
      const b = runCli([...args, '--db', url]);
      expect(a.code).toBe(0);
      expect(a.stdout.trim()).not.toBe('');
      expect({ code: b.code, stdout: b.stdout }).toEqual({ code: a.code, stdout: a.stdout });
    }
    const stored = [
      'SELECT rule, priority, time_ns, output FROM alerts ORDER BY alert_id',
      'SELECT chain, first_exec_id, last_exec_id, output FROM chains ORDER BY chain_match_id',
      'SELECT * FROM chain_steps ORDER BY chain_match_id, step_index',
    ];
    for (const q of stored) {
      const a = runCli(['query', q, '--json', '--db', sqlite]);
      const b = runCli(['query', q, '--json', '--db', url]);
      expect((JSON.parse(a.stdout) as unknown[]).length).toBeGreaterThan(0);
      expect(b.stdout).toEqual(a.stdout);
    }
  }, 120_000);
});
