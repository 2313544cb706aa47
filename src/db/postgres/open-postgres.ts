import { PedigreeError } from '../../util/errors.js';
import { PgCaseDb } from './pg-case-db.js';
import { checkPostgresCase, migratePostgres } from './pg-migrate.js';
import { PgQueryError, PgSyncConnection } from './pg-sync.js';
import { redactUrl } from './pg-url.js';
import type { PgLayoutOptions } from './pg-ddl.js';

/** Query commands stop a statement that runs longer than this (PEDIGREE_STATEMENT_TIMEOUT_MS). */
export function statementTimeoutMs(): number {
  const v = Number(process.env.PEDIGREE_STATEMENT_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 300_000;
}

function connect(url: string, readOnly: boolean, timeoutMs: number): PgSyncConnection {
  try {
    return new PgSyncConnection(url, { readOnly, statementTimeoutMs: timeoutMs });
  } catch (err) {
    throw connectionError(url, err);
  }
}

/** A connection failure as one line: where, and what PostgreSQL or the socket said. */
export function connectionError(url: string, err: unknown): PedigreeError {
  const e = err instanceof PgQueryError ? err : undefined;
  const where = redactUrl(url);
  const detail = (err as Error).message?.split('\n')[0] ?? String(err);
  if (e?.pgCode === '28P01' || e?.pgCode === '28000') return new PedigreeError('DB_NOT_FOUND', `PostgreSQL at ${where} refused the credentials: ${detail}`);
  if (e?.pgCode === '3D000') return new PedigreeError('DB_NOT_FOUND', `no such PostgreSQL database at ${where}: ${detail}`);
  return new PedigreeError('DB_NOT_FOUND', `cannot reach PostgreSQL at ${where}: ${detail}`);
}

/** A read-only connection to a pedigree case on PostgreSQL (statement timeout applies). */
export function openPostgresReadOnly(url: string): PgCaseDb {
  const conn = connect(url, true, statementTimeoutMs());
  try {
    checkPostgresCase(conn, redactUrl(url));
  } catch (err) {
    conn.close();
    throw err;
  }
  return new PgCaseDb(conn, url, true);
}

/** A writable connection; creates or upgrades the case schema first. */
export function openPostgresForWrite(url: string, layout: PgLayoutOptions = {}): PgCaseDb {
  const conn = connect(url, false, 0);
  try {
    migratePostgres(conn, redactUrl(url), layout);
  } catch (err) {
    conn.close();
    throw err instanceof PgQueryError ? new PedigreeError('DB_SCHEMA', `${redactUrl(url)}: ${err.message}`) : err;
  }
  return new PgCaseDb(conn, url, false);
}
