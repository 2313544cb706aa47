import type BetterSqlite3 from 'better-sqlite3';
import { openCaseTarget } from '../db/open-case-target.js';
import { openCaseForWrite } from '../db/open.js';
import { openPostgresForWrite } from '../db/postgres/open-postgres.js';
import { isPostgresUrl } from '../db/postgres/pg-url.js';
import { beginWrite } from '../db/write-lock.js';

/** Runs `fn` on a read-only connection to the case and closes it afterwards. */
export function withCase<T>(path: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = openCaseTarget(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** As withCase, for work that waits on something else (a query run in a child process). */
export async function withCaseAsync<T>(path: string, fn: (db: BetterSqlite3.Database) => Promise<T>): Promise<T> {
  const db = openCaseTarget(path);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/**
 * Runs `fn` in one write transaction (schema migrated) and closes the case afterwards. `what`
 * names the work for another writer that has to wait, e.g. "saving the alerts of rules run".
 * On PostgreSQL the transaction is the server's; writers of other work do not wait for it.
 */
export function withCaseForWrite<T>(path: string, what: string, fn: (db: BetterSqlite3.Database) => T): T {
  if (isPostgresUrl(path)) {
    const pg = openPostgresForWrite(path).asDatabase();
    try {
      return pg.transaction(() => fn(pg))();
    } finally {
      pg.close();
    }
  }
  const db = openCaseForWrite(path);
  try {
    const lock = beginWrite(db, path, what, (message) => process.stderr.write(`pedigree: ${message}\n`));
    try {
      const result = fn(db);
      db.exec('COMMIT');
      return result;
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      lock.release();
    }
  } finally {
    db.close();
  }
}
