import type BetterSqlite3 from 'better-sqlite3';
import { openCaseForWrite, openCaseReadOnly } from '../db/open.js';

/** Runs `fn` on a read-only connection to the case and closes it afterwards. */
export function withCase<T>(path: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = openCaseReadOnly(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Runs `fn` on a writable connection (schema migrated) and closes it afterwards. */
export function withCaseForWrite<T>(path: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = openCaseForWrite(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
