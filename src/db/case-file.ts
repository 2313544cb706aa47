import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { PedigreeError } from '../util/errors.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/**
 * Refuses a --db path that cannot be a case database before SQLite sees it: a directory, a
 * device or /proc file, a text file. SQLite's own errors for these ("file is not a database",
 * "unable to open") would read as internal errors.
 */
export function checkCasePath(path: string, mustExist: boolean): void {
  if (!existsSync(path)) {
    if (mustExist) {
      throw new PedigreeError('DB_NOT_FOUND', `no case database at ${path}: import a capture first (pedigree import FILE --db ${path})`);
    }
    return;
  }
  const st = statSync(path);
  if (st.isDirectory()) throw new PedigreeError('DB_SCHEMA', `--db ${path} is a directory, not a case database file`);
  if (!st.isFile()) throw new PedigreeError('DB_SCHEMA', `--db ${path} is not a regular file, so it cannot be a case database`);
  // /proc files report size 0 yet hold text: read what is there rather than trust the size.
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  let n = 0;
  try {
    n = readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (n === 0) return; // an empty file becomes a new case
  if (n < 16 || head.toString('latin1') !== SQLITE_MAGIC) {
    throw new PedigreeError('DB_SCHEMA', `--db ${path} is not an SQLite database (it does not start with "SQLite format 3")`);
  }
}

/** True when the connection's database has the table pedigree records its schema in. */
export function hasCaseSchema(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
}

/** True when the database holds no tables, views, indexes or triggers at all. */
export function isEmptyDatabase(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get() === undefined;
}

/**
 * A case left in rollback-journal mode (by an older pedigree, or by the first import into an
 * empty case: the importer's first-import-journal.ts) and interrupted mid-import has a hot journal
 * that a read-only connection cannot roll back ("attempt to write a readonly database"). Rolling
 * it back restores the case exactly as it was before that import; a live writer holds its lock,
 * so this waits for it rather than touching its journal.
 */
export function rollBackHotJournal(path: string, busyTimeoutMs = 60_000): void {
  const journal = `${path}-journal`;
  if (!existsSync(journal) || statSync(journal).size === 0) return;
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } finally {
    db.close();
  }
}
