import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresForWrite } from '../../src/db/postgres/open-postgres.js';
import type { PgCaseDb } from '../../src/db/postgres/pg-case-db.js';
import { registerSqlFunctions } from '../../src/db/sql-functions.js';
import { freshPgDatabase, PG_TEST_URL, warnSkippedWithoutPg } from '../support/pg-test.js';

warnSkippedWithoutPg('SQL functions on PostgreSQL');

/**
 * One table of inputs and expected results, run on SQLite (the functions registered from
 * TypeScript) and on PostgreSQL (the functions installed by schema/postgres/functions.sql).
 * Each case is a SELECT over the function; `env` binds as the NUL-joined column type.
 */
const NUL = '\0';
const CASES: { sql: string; params: unknown[]; expected: unknown }[] = [
  { sql: 'falco_glob(?, ?)', params: ['*.sh', '/tmp/a.sh'], expected: 1n },
  { sql: 'falco_glob(?, ?)', params: ['/usr/*', '/usr/local/bin/x'], expected: 1n },
  { sql: 'falco_glob(?, ?)', params: ['?at', 'cat'], expected: 1n },
  { sql: 'falco_glob(?, ?)', params: ['?at', 'cart'], expected: 0n },
  { sql: 'falco_glob(?, ?)', params: ['[!a]b', 'ab'], expected: 0n },
  { sql: 'falco_glob(?, ?)', params: ['[!a]b', 'xb'], expected: 1n },
  { sql: 'falco_glob(?, ?)', params: ['[a-c]x', 'bx'], expected: 1n },
  { sql: 'falco_glob(?, ?)', params: ['[[:digit:]]*', '7up'], expected: 1n },
  { sql: 'falco_glob(?, ?)', params: ['a\\*b', 'a*b'], expected: 1n },
  { sql: 'falco_glob(?, ?)', params: ['a\\*b', 'axb'], expected: 0n },
  { sql: 'falco_glob(?, ?)', params: ['[abc', '[abc'], expected: 1n },
  { sql: 'falco_glob(?, ?)', params: ['a.b(c)', 'a.b(c)'], expected: 1n },
  { sql: 'falco_glob(?, ?)', params: ['a.b', 'axb'], expected: 0n },
  { sql: 'falco_glob(?, ?)', params: ['*', 'line1\nline2'], expected: 1n },
  { sql: 'falco_glob(?, ?, 1)', params: ['*.SH', '/tmp/a.sh'], expected: 1n },
  { sql: 'falco_glob(?, ?, 0)', params: ['*.SH', '/tmp/a.sh'], expected: 0n },
  { sql: 'falco_glob(?, ?)', params: ['*', null], expected: null },
  { sql: 'falco_regex(?, ?)', params: ['ba(sh|zsh)', 'bash'], expected: 1n },
  { sql: 'falco_regex(?, ?)', params: ['ba', 'bash'], expected: 0n },
  { sql: 'falco_regex(?, ?)', params: ['[0-9]+', '123'], expected: 1n },
  { sql: 'falco_regex(?, ?)', params: ['x', null], expected: null },
  { sql: 'falco_pmatch(?, ?)', params: ['/etc/shadow', '["/etc"]'], expected: 1n },
  { sql: 'falco_pmatch(?, ?)', params: ['/etcetera/x', '["/etc"]'], expected: 0n },
  { sql: 'falco_pmatch(?, ?)', params: ['/etc', '["/etc/"]'], expected: 1n },
  { sql: 'falco_pmatch(?, ?)', params: ['//etc//passwd', '["/etc"]'], expected: 1n },
  { sql: 'falco_pmatch(?, ?)', params: ['/anything', '["/"]'], expected: 1n },
  { sql: 'falco_pmatch(?, ?)', params: ['relative/x', '["/"]'], expected: 0n },
  { sql: 'falco_pmatch(?, ?)', params: ['/var/lib/docker/x', '["/var/*/docker"]'], expected: 1n },
  { sql: 'falco_pmatch(?, ?)', params: ['/var/lib/sub/docker', '["/var/*/docker"]'], expected: 0n },
  { sql: 'falco_pmatch(?, ?)', params: ['/usr/bin/x', '["/opt", "/usr/bin"]'], expected: 1n },
  { sql: 'falco_pmatch(?, ?)', params: [null, '["/"]'], expected: null },
  { sql: 'pedigree_env(?, ?)', params: [`HOME=/root${NUL}PATH=/bin${NUL}X=a=b`, 'X'], expected: 'a=b' },
  { sql: 'pedigree_env(?, ?)', params: [`HOME=/root${NUL}PATH=/bin`, 'PATH'], expected: '/bin' },
  { sql: 'pedigree_env(?, ?)', params: [`HOME=/root${NUL}PATH=/bin`, 'HOM'], expected: null },
  { sql: 'pedigree_env(?, ?)', params: [`LANG=ünïcode`, 'LANG'], expected: 'ünïcode' },
  { sql: 'pedigree_env_list(?)', params: [`A=1${NUL}B=2`], expected: 'A=1 B=2' },
  { sql: 'pedigree_b64decode(?)', params: ['aGVsbG8='], expected: 'hello' },
  { sql: 'pedigree_b64decode(?)', params: ['not base64!'], expected: null },
  { sql: 'pedigree_b64decode(?)', params: ['abc'], expected: null },
  { sql: 'pedigree_basename(?)', params: ['/usr/bin/curl'], expected: 'curl' },
  { sql: 'pedigree_basename(?)', params: ['/usr/bin/'], expected: '' },
  { sql: 'pedigree_basename(?)', params: ['curl'], expected: 'curl' },
  {
    sql: 'pedigree_mount(?, ?, ?, ?)',
    params: ['[{"source":"/var/run/docker.sock","destination":"/run/d.sock","rw":true}]', 'destination', 'source', 'docker\\.sock'],
    expected: '/run/d.sock',
  },
  { sql: 'pedigree_mount(?, ?, ?, ?)', params: ['[{"source":"/a","destination":"/b","rw":true}]', 'rw', 'source', '0'], expected: 'true' },
  { sql: 'pedigree_mount(?, ?, ?, ?)', params: ['[{"source":"/a","destination":"/b"}]', 'mode', 'source', '/a'], expected: null },
  { sql: 'pedigree_mount(?, ?, ?, ?)', params: ['not json', 'mode', 'source', '/a'], expected: null },
  // SQLite built-ins the generated SQL relies on, with SQLite's meaning on both.
  { sql: 'substr(?, -3)', params: ['hello'], expected: 'llo' },
  { sql: 'substr(?, 2, 3)', params: ['hello'], expected: 'ell' },
  { sql: 'instr(?, ?)', params: ['hello', 'll'], expected: 3n },
  { sql: 'instr(?, ?)', params: ['hello', 'z'], expected: 0n },
  { sql: 'json_extract(?, ?)', params: ['{"app":"web","a b":"c"}', '$."a b"'], expected: 'c' },
  { sql: 'json_extract(?, ?)', params: ['{"app":"web"}', '$."missing"'], expected: null },
  { sql: "printf('%012d', ?)", params: [42], expected: '000000000042' },
];

function sqliteValue(db: Database.Database, c: (typeof CASES)[number]): unknown {
  const v = db.prepare(`SELECT ${c.sql} AS v`).get(...c.params) as { v: unknown };
  return typeof v.v === 'number' ? BigInt(v.v) : v.v;
}

describe('SQL functions: the same answers from SQLite and from the SQLite functions', () => {
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  registerSqlFunctions(db);
  it.each(CASES)('SQLite: $sql with $params', (c) => {
    expect(sqliteValue(db, c)).toEqual(c.expected);
  });
});

describe.skipIf(!PG_TEST_URL)('SQL functions: the same answers on PostgreSQL', () => {
  let drop: () => Promise<void> = async () => {};
  let pgdb: PgCaseDb;
  beforeAll(async () => {
    const fresh = await freshPgDatabase();
    drop = fresh.drop;
    pgdb = openPostgresForWrite(fresh.url);
  }, 60_000);
  afterAll(async () => {
    pgdb?.close();
    await drop();
  });
  it.each(CASES)('PostgreSQL: $sql with $params', (c) => {
    // The NUL-joined columns are bytea on PostgreSQL: bind the environment as bytes.
    const params = c.sql.startsWith('pedigree_env') ? [Buffer.from(String(c.params[0]), 'utf8'), ...c.params.slice(1)] : c.params;
    const row = pgdb.prepare(`SELECT ${c.sql} AS v`).get(...params) as { v: unknown };
    expect(row.v).toEqual(c.expected);
  });
});
