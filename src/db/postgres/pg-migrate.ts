import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PedigreeError } from '../../util/errors.js';
import { ALERT_KEY_PG_SQL } from '../alert-key.js';
import { type CaseSchema, caseSchema, type TableShape } from '../case-schema.js';
import { SCHEMA_DIR } from '../migrate.js';
import { caseDdl, createIndexSql, createTableSql, createViewSql, type PgLayoutOptions } from './pg-ddl.js';
import { isHostScoped, pgColumnType } from './pg-layout.js';
import type { PgSyncConnection } from './pg-sync.js';

const PG_FUNCTIONS_FILE = 'postgres/functions.sql';
const LOCK_KEY = 0x70656469; // advisory lock: one schema change at a time

function functionsSql(): { sql: string; sha256: string } {
  const sql = readFileSync(join(SCHEMA_DIR, PG_FUNCTIONS_FILE), 'utf8');
  return { sql, sha256: createHash('sha256').update(sql).digest('hex') };
}

function appliedMigrations(conn: PgSyncConnection): Map<string, string> | null {
  const exists = conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL").rows[0]?.[0];
  if (exists !== 1n) return null;
  return new Map(conn.query('SELECT name, sha256 FROM schema_migrations').rows.map((r) => [String(r[0]), String(r[1])]));
}

/**
 * Whether a case whose schema_migrations hold `applied` has this pedigree's schema exactly, so a
 * writer need not take the schema lock to upgrade it (nothing missing, changed or newer).
 */
export function postgresSchemaIsCurrent(applied: Map<string, string>): boolean {
  const wanted = [...caseSchema().migrations, { name: PG_FUNCTIONS_FILE, sha256: functionsSql().sha256 }];
  return applied.size === wanted.length && wanted.every((m) => applied.get(m.name) === m.sha256);
}

/** Refuses a database that is not a pedigree case, or one a newer pedigree wrote. */
export function checkPostgresCase(conn: PgSyncConnection, label: string): void {
  const applied = appliedMigrations(conn);
  if (!applied) throw new PedigreeError('DB_SCHEMA', `${label} is not a pedigree case database (no schema_migrations table)`);
  checkNotNewer(applied, caseSchema(), label);
}

function checkNotNewer(applied: Map<string, string>, schema: CaseSchema, label: string): void {
  const known = new Map(schema.migrations.map((m) => [m.name, m.sha256]));
  known.set(PG_FUNCTIONS_FILE, '');
  for (const [name, sha] of applied) {
    if (!known.has(name)) throw new PedigreeError('DB_SCHEMA', `${label} was written by a newer pedigree (schema ${name}); upgrade pedigree to read it`);
    const want = known.get(name);
    if (want && want !== sha) throw new PedigreeError('DB_SCHEMA', `schema file ${name} changed after it was applied to ${label}; add a new migration instead`);
  }
}

/**
 * Creates or upgrades the case schema on PostgreSQL, generated from the SQLite migrations: a new
 * database gets every table, index, view and function; one created by an older pedigree gets
 * the tables, columns, indexes and views it lacks. One transaction, under an advisory lock.
 */
export function migratePostgres(conn: PgSyncConnection, label: string, options: PgLayoutOptions = {}): void {
  const schema = caseSchema();
  const fns = functionsSql();
  conn.query('BEGIN');
  try {
    conn.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const applied = appliedMigrations(conn);
    const now = String(BigInt(Date.now()) * 1_000_000n);
    if (!applied) {
      const tables = conn.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").rows[0]?.[0];
      if (tables !== 0n) throw new PedigreeError('DB_SCHEMA', `${label} already holds tables and is not a pedigree case database`);
      conn.query(fns.sql);
      conn.query('CREATE TABLE schema_migrations (name text PRIMARY KEY, sha256 text NOT NULL, applied_ns bigint NOT NULL)');
      for (const stmt of caseDdl(schema, options)) conn.query(stmt);
      // psql users get the same function names without setting anything.
      conn.query(`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET search_path = public, pedigree_sql, pg_catalog', current_database()); END $$`);
      for (const m of [...schema.migrations, { name: PG_FUNCTIONS_FILE, sha256: fns.sha256 }]) {
        conn.query('INSERT INTO schema_migrations (name, sha256, applied_ns) VALUES ($1, $2, $3)', [m.name, m.sha256, now]);
      }
    } else {
      checkNotNewer(applied, schema, label);
      if (applied.get(PG_FUNCTIONS_FILE) !== fns.sha256) {
        conn.query(fns.sql);
        conn.query(
          'INSERT INTO schema_migrations VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, applied_ns = excluded.applied_ns',
          [PG_FUNCTIONS_FILE, fns.sha256, now],
        );
      }
      const missing = schema.migrations.filter((m) => !applied.has(m.name));
      if (missing.length > 0) {
        upgrade(conn, schema, label, options);
        for (const m of missing) conn.query('INSERT INTO schema_migrations (name, sha256, applied_ns) VALUES ($1, $2, $3)', [m.name, m.sha256, now]);
      }
    }
    conn.query('COMMIT');
  } catch (err) {
    conn.query('ROLLBACK');
    throw err;
  }
}

function upgrade(conn: PgSyncConnection, schema: CaseSchema, label: string, options: PgLayoutOptions): void {
  const existing = new Map<string, Map<string, string>>();
  for (const r of conn.query("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'").rows) {
    const t = String(r[0]);
    if (!existing.has(t)) existing.set(t, new Map());
    existing.get(t)?.set(String(r[1]), String(r[2]));
  }
  for (const v of [...schema.views].reverse()) conn.query(`DROP VIEW IF EXISTS "${v.name}"`);
  for (const table of schema.tables) {
    const cols = existing.get(table.name);
    if (!cols) {
      for (const stmt of createTableSql(table, options)) conn.query(stmt);
      continue;
    }
    if (isHostScoped(table)) {
      addHostKey(conn, table, cols.has('host_id'));
      cols.set('host_id', 'bigint');
    }
    for (const c of table.columns) {
      if (cols.has(c.name)) continue;
      const def = `${pgColumnType(table.name, c.name, c.type)}${c.notNull ? ' NOT NULL' : ''}${c.defaultSql !== null ? ` DEFAULT ${c.defaultSql}` : ''}`;
      conn.query(`ALTER TABLE "${table.name}" ADD COLUMN "${c.name}" ${def}`);
      const fill = COLUMN_FILL.find(([t, column]) => t === table.name && column === c.name);
      if (fill) conn.query(`UPDATE "${table.name}" SET "${c.name}" = ${fill[2]} WHERE ${fill[3]}`);
    }
    const gone = [...cols.keys()].filter((name) => !table.columns.some((c) => c.name === name));
    if (gone.length > 0) {
      throw new PedigreeError(
        'DB_SCHEMA',
        `${label}: this pedigree no longer has ${table.name}.${gone.join(', ')}; copy the case into a new database (pedigree copy) instead of upgrading in place`,
      );
    }
  }
  const indexes = new Set(conn.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'").rows.map((r) => String(r[0])));
  for (const ix of schema.indexes) if (!indexes.has(ix.name)) conn.query(createIndexSql(ix));
  for (const table of schema.tables.filter(isHostScoped)) {
    for (const stmt of createTableSql(table, options).filter((s) => s.startsWith('CREATE INDEX'))) {
      const name = /^CREATE INDEX "([^"]+)"/.exec(stmt)?.[1];
      if (name !== undefined && !indexes.has(name)) conn.query(stmt);
    }
  }
  for (const v of schema.views) conn.query(createViewSql(v));
}

/**
 * Columns an older case's rows get a value for when the column is added, as the SQLite migration
 * that added it fills them: table, column, value, which rows.
 */
const COLUMN_FILL: [string, string, string, string][] = [['alerts', 'output_key', ALERT_KEY_PG_SQL, 'capture_id IS NOT NULL']];

/**
 * How an older case's rows learn their host, for tables that became host-scoped (schema
 * 006_host_scoped_rows.sql does the same on SQLite). In this order: alert_links falls back on alerts.
 */
const HOST_ID_FILL: [string, string][] = [
  [
    'alerts',
    `COALESCE((SELECT e.host_id FROM execs e WHERE e.exec_id = alerts.exec_id),
              (SELECT l.host_id FROM alert_links l WHERE l.alert_id = alerts.alert_id),
              (SELECT c.host_id FROM captures c WHERE c.capture_id = alerts.capture_id),
              (SELECT min(h.host_id) FROM hosts h))`,
  ],
  ['alert_links', '(SELECT a.host_id FROM alerts a WHERE a.alert_id = alert_links.alert_id)'],
  [
    'chain_steps',
    `COALESCE((SELECT c.host_id FROM chains c WHERE c.chain_match_id = chain_steps.chain_match_id),
              (SELECT e.host_id FROM execs e WHERE e.exec_id = chain_steps.exec_id))`,
  ],
  [
    'exec_sources',
    `COALESCE((SELECT e.host_id FROM execs e WHERE e.exec_id = exec_sources.exec_id),
              (SELECT c.host_id FROM captures c WHERE c.capture_id = exec_sources.capture_id))`,
  ],
];

/**
 * A table that became host-scoped: host_id is added (or made NOT NULL), filled from the rows it
 * hangs off, and put at the head of the primary key, as a new case has it.
 */
function addHostKey(conn: PgSyncConnection, table: TableShape, hasColumn: boolean): void {
  const name = `"${table.name}"`;
  if (!hasColumn) conn.query(`ALTER TABLE ${name} ADD COLUMN host_id bigint`);
  const fill = HOST_ID_FILL.find(([t]) => t === table.name)?.[1];
  if (fill !== undefined) conn.query(`UPDATE ${name} SET host_id = ${fill} WHERE host_id IS NULL`);
  conn.query(`ALTER TABLE ${name} ALTER COLUMN host_id SET NOT NULL`);
  const key = table.primaryKey.includes('host_id') || table.primaryKey.length === 0 ? table.primaryKey : ['host_id', ...table.primaryKey];
  const current = conn.query(
    `SELECT c.conname, array_to_string(array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i), ',')
     FROM pg_constraint c WHERE c.contype = 'p' AND c.conrelid = $1::regclass`,
    [table.name],
  ).rows[0];
  if (current !== undefined && String(current[1]) === key.join(',')) return;
  if (current !== undefined) conn.query(`ALTER TABLE ${name} DROP CONSTRAINT "${String(current[0])}"`);
  if (key.length === 0) return; // a table without a key in SQLite has none here (exec_sources)
  conn.query(`ALTER TABLE ${name} ADD PRIMARY KEY (${key.map((k) => `"${k}"`).join(', ')})`);
}
