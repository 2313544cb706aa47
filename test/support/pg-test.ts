import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresForWrite } from '../../src/db/postgres/open-postgres.js';

/**
 * The PostgreSQL server the tests use: PEDIGREE_TEST_PG, a URL to a database on a throwaway
 * cluster (scripts/pg-cluster.sh start prints one). Tests that need it skip loudly without it.
 */
export const PG_TEST_URL = process.env.PEDIGREE_TEST_PG;

export function warnSkippedWithoutPg(what: string): void {
  if (!PG_TEST_URL) console.warn(`SKIPPED ${what}: no PostgreSQL server (set PEDIGREE_TEST_PG, see scripts/pg-cluster.sh)`);
}

function withDatabase(url: string, name: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*\/)([^?]*)(.*)$/i.exec(url);
  if (!m) throw new Error(`PEDIGREE_TEST_PG is not a postgres:// URL with a database: ${url}`);
  return `${m[1]}${name}${m[3]}`;
}

/** A new, empty database on the test server; `drop` removes it. */
export async function freshPgDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  if (!PG_TEST_URL) throw new Error('PEDIGREE_TEST_PG is not set');
  const name = `pedigree_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_TEST_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(PG_TEST_URL, name),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: PG_TEST_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Runs SQL on a database of the test server (search_path as pedigree sets it). */
export async function pgQuery(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url, options: '-c search_path=public,pedigree_sql,pg_catalog' });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

/**
 * A fresh database for the enclosing describe block, made before its tests and dropped after;
 * `migrated` gives it the case schema, as pedigree's first write would.
 */
export function scratchPgDatabase(options: { migrated: boolean }): { readonly url: string } {
  let url = '';
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const fresh = await freshPgDatabase();
    url = fresh.url;
    drop = fresh.drop;
    if (options.migrated) openPostgresForWrite(url).close();
  }, 60_000);
  afterAll(async () => drop());
  return {
    get url() {
      return url;
    },
  };
}
