import Database from 'better-sqlite3';
import { rmSync, statSync } from 'node:fs';

export interface CaseSize {
  bytes: number;
  execRows: number;
  /** Whole file (every table and index) divided by the exec rows it holds. */
  bytesPerExec: number;
}

export function caseSize(dbPath: string): CaseSize {
  const db = new Database(dbPath, { readonly: true });
  const execRows = Number(db.prepare('SELECT count(*) FROM execs').pluck().get());
  db.close();
  const bytes = statSync(dbPath).size;
  return { bytes, execRows, bytesPerExec: execRows > 0 ? bytes / execRows : NaN };
}

/** Removes a case file with its WAL and shared-memory files. */
export function removeCase(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(dbPath + suffix, { force: true });
}
