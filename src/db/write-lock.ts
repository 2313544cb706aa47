import type Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** Who holds a case's write lock, as the holder announced it in `CASE-writer`. */
interface WriterNote {
  pid: number;
  what: string;
}

/** How long a writer waits for another one before giving up (effectively: until it finishes). */
export const WAIT_FOREVER_MS = 2 ** 31 - 1;

/** How long a writer waits before saying whom it waits for. */
const QUIET_WAIT_MS = 250;

function notePath(casePath: string): string {
  return `${casePath}-writer`;
}

function readNote(casePath: string): WriterNote | null {
  try {
    const note = JSON.parse(readFileSync(notePath(casePath), 'utf8')) as Partial<WriterNote>;
    return typeof note.pid === 'number' && typeof note.what === 'string' ? { pid: note.pid, what: note.what } : null;
  } catch {
    return null;
  }
}

export function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

export interface WriteLock {
  /** Forgets the announcement; the transaction itself is ended by COMMIT or ROLLBACK. */
  release(): void;
}

/**
 * Starts the write transaction of `what` (e.g. "the import of x.scap"). SQLite's own write lock
 * is the mutex (released by the kernel if the holder dies, so a killed importer never leaves a
 * stale lock); a side file only tells a waiting writer whom it waits for. Writers queue: the
 * second one says so on stderr and waits as long as the first takes. Readers never wait (WAL),
 * except for the first import into an empty case (first-import-journal.ts).
 */
export function beginWrite(db: Database.Database, casePath: string, what: string, onWait: (message: string) => void): WriteLock {
  const saved = db.pragma('busy_timeout', { simple: true }) as number;
  try {
    // A short hold (another process creating the case's schema) is waited out silently, and a
    // writer that has just taken the lock has written its note by the time this gives up.
    db.pragma(`busy_timeout = ${QUIET_WAIT_MS}`);
    if (!tryBegin(db)) {
      onWait(waitingForWriter(casePath));
      db.pragma(`busy_timeout = ${WAIT_FOREVER_MS}`);
      db.exec('BEGIN IMMEDIATE');
    }
  } finally {
    db.pragma(`busy_timeout = ${saved}`);
  }
  return announce(casePath, what);
}

/** Whom a connection waiting on the case's lock waits for, as the holder announced it. */
export function waitingForWriter(casePath: string): string {
  const holder = readNote(casePath);
  return holder && holder.pid !== process.pid
    ? `waiting for ${holder.what} (pid ${holder.pid}) to finish`
    : 'waiting for another process writing to the case to finish';
}

/** BEGIN IMMEDIATE within the connection's busy timeout: false when another writer still holds the lock. */
function tryBegin(db: Database.Database): boolean {
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (err) {
    if (!isBusy(err)) throw err;
    return false;
  }
}

/** Tells waiting writers who holds the lock now taken. */
function announce(casePath: string, what: string): WriteLock {
  const note: WriterNote = { pid: process.pid, what };
  try {
    writeFileSync(notePath(casePath), JSON.stringify(note));
  } catch {
    // The note is a courtesy for waiting writers; a read-only directory must not stop the import.
  }
  return {
    release() {
      const current = readNote(casePath);
      if (current?.pid === process.pid) rmSync(notePath(casePath), { force: true });
    },
  };
}
