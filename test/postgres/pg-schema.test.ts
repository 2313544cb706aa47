import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/db/migrate.js';
import { openPostgresForWrite } from '../../src/db/postgres/open-postgres.js';
import { isHostScoped, pgColumnType } from '../../src/db/postgres/pg-layout.js';
import { caseSchema } from '../../src/db/case-schema.js';
import { scratchPgDatabase, PG_TEST_URL, pgQuery, warnSkippedWithoutPg } from '../support/pg-test.js';

warnSkippedWithoutPg('PostgreSQL schema against the SQLite schema');

const PG_TYPE: Record<string, string> = { bigint: 'bigint', text: 'text', bytea: 'bytea', 'double precision': 'double precision' };

/** Tables, views, columns and indexes of a freshly migrated SQLite case, read from SQLite itself. */
function sqliteShape() {
  const db = new Database(':memory:');
  applyMigrations(db);
  const objects = db
    .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view', 'index') ORDER BY name")
    .all() as { type: string; name: string }[];
  const columns = (name: string) => db.pragma(`table_info(${name})`) as { name: string; type: string; notnull: number; pk: number }[];
  return { objects, columns };
}

describe.skipIf(!PG_TEST_URL)('PostgreSQL case schema, column for column against a freshly migrated SQLite case', () => {
  const scratch = scratchPgDatabase({ migrated: true });

  it('has every SQLite table and view, with the same columns in the same order and matching types', async () => {
    const sqlite = sqliteShape();
    const pgCols = await pgQuery(
      scratch.url,
      "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
    );
    const byTable = new Map<string, { column_name: string; data_type: string; is_nullable: string }[]>();
    for (const r of pgCols.rows) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r]);
    // SQLite's storage tables behind a logical table (execs over exec_rows, …) are SQLite's layout only.
    const storage = new Set(caseSchema().tables.flatMap((t) => t.logical?.storedIn ?? []));
    expect(storage.size === 0 || caseSchema().tables.some((t) => t.name === 'execs' && t.logical)).toBe(true);
    const relations = sqlite.objects.filter((o) => o.type !== 'index' && !storage.has(o.name));
    expect(relations.length).toBeGreaterThanOrEqual(12);
    for (const rel of relations) {
      const want = sqlite.columns(rel.name);
      const got = byTable.get(rel.name) ?? [];
      expect({ rel: rel.name, columns: got.map((c) => c.column_name) }).toEqual({ rel: rel.name, columns: want.map((c) => c.name) });
      if (rel.type !== 'table') continue;
      for (const [i, c] of want.entries()) {
        const expectedType = PG_TYPE[pgColumnType(rel.name, c.name, c.type.toUpperCase())];
        expect({ col: `${rel.name}.${c.name}`, type: got[i]?.data_type, notNull: got[i]?.is_nullable === 'NO' }).toEqual({
          col: `${rel.name}.${c.name}`,
          type: expectedType,
          notNull:
            c.notnull === 1 ||
            c.pk > 0 ||
            (c.name === 'host_id' &&
              isHostScoped(caseSchema().tables.find((t) => t.name === rel.name) ?? { name: '', columns: [], primaryKey: [], unique: [] })),
        });
      }
    }
  });

  it('has the same named indexes, and host_id in the key of every host-scoped table', async () => {
    const sqlite = sqliteShape();
    const wanted = sqlite.objects
      .filter((o) => o.type === 'index' && !o.name.startsWith('sqlite_autoindex'))
      .map((o) => o.name)
      .sort();
    const got = (
      await pgQuery(
        scratch.url,
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key' AND indexname NOT LIKE '%_lookup%'",
      )
    ).rows
      .map((r) => r.indexname)
      .sort();
    expect(got).toEqual(wanted);
    const keys = await pgQuery(
      scratch.url,
      `SELECT c.relname AS table, bool_or(a.attname = 'host_id') AS has_host FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
      WHERE i.indisprimary AND c.relnamespace = 'public'::regnamespace GROUP BY c.relname`,
    );
    const hasHost = new Map(keys.rows.map((r) => [r.table, r.has_host]));
    const hostScoped = caseSchema().tables.filter(isHostScoped);
    expect(hostScoped.map((t) => t.name)).toEqual(
      expect.arrayContaining(['processes', 'execs', 'chains', 'chain_steps', 'alerts', 'alert_links', 'exec_sources']),
    );
    // A table without a key in SQLite (exec_sources) has none here either.
    for (const t of hostScoped) {
      expect({ t: t.name, hostInKey: hasHost.get(t.name) }).toEqual({ t: t.name, hostInKey: t.primaryKey.length > 0 ? true : undefined });
    }
  });

  it('upgrading an up-to-date case changes nothing; a case from a newer pedigree is refused', async () => {
    openPostgresForWrite(scratch.url).close();
    await pgQuery(scratch.url, "INSERT INTO schema_migrations VALUES ('999_future.sql', 'x', 0)");
    expect(() => openPostgresForWrite(scratch.url)).toThrow(/written by a newer pedigree \(schema 999_future\.sql\)/);
    await pgQuery(scratch.url, "DELETE FROM schema_migrations WHERE name = '999_future.sql'");
  });
});
