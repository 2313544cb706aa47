import type BetterSqlite3 from 'better-sqlite3';

/** How long switching back to WAL after the import waits for a reader's statement to end. */
const BACK_TO_WAL_WAIT_MS = 2_000;

/**
 * The first import into a case that holds no capture yet runs with a rollback journal instead of
 * WAL, and the case returns to WAL after it. In WAL every page of the import went to the WAL and
 * the checkpoint after the commit copied it into the case again, alone on the import's critical
 * path (1M JSON-lines execs: a 0.53 s commit syncing 296 MB twice, the WAL's removal at close,
 * and ~0.25 s of the importing thread's CPU writing the WAL). With a rollback journal the pages
 * reach the case once: pages added past the file's end are not journaled, so the journal holds
 * only the empty schema's few pages, and the commit syncs the case once.
 *
 * Atomicity is unchanged: a killed import leaves a hot journal, which the next opening of the
 * case rolls back (case-file.ts), leaving it as it was: empty. What changes is concurrency, for
 * this import only: once its page cache spills into the file it holds the case exclusively, so a
 * reader or writer that opens the case meanwhile waits for it, saying whom it waits for (db/open.ts);
 * there is nothing in the case for it to read before this import commits. A connection already
 * open on the case keeps the switch from happening (a WAL connection holds a shared lock while it
 * is open), and the import then runs in WAL like any other.
 *
 * Returns what puts the case back into WAL; call it once the import's transaction has ended.
 */
export function rollbackJournalForFirstImport(db: BetterSqlite3.Database): () => void {
  if (db.inTransaction || db.memory || db.readonly) return () => {};
  if (db.prepare('SELECT 1 FROM captures LIMIT 1').get() !== undefined) return () => {};
  if (!switchJournal(db, 'delete', 0)) return () => {};
  // Another writer could have added a capture before the switch: it is an empty case's import no
  // more, and runs in WAL (readers must not wait for it).
  if (db.prepare('SELECT 1 FROM captures LIMIT 1').get() !== undefined) {
    switchJournal(db, 'wal', BACK_TO_WAL_WAIT_MS);
    return () => {};
  }
  // A reader holding the case at that moment keeps it in rollback mode: the next writer's opening
  // of the case switches it back (openCaseForWrite).
  return () => void switchJournal(db, 'wal', BACK_TO_WAL_WAIT_MS);
}

/** Sets the journal mode, waiting at most `waitMs` for other connections; false when it could not. */
function switchJournal(db: BetterSqlite3.Database, mode: 'delete' | 'wal', waitMs: number): boolean {
  if (db.inTransaction) return false;
  const saved = db.pragma('busy_timeout', { simple: true }) as number;
  try {
    db.pragma(`busy_timeout = ${waitMs}`);
    return db.pragma(`journal_mode = ${mode}`, { simple: true }) === mode;
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return false;
    throw err;
  } finally {
    db.pragma(`busy_timeout = ${saved}`);
  }
}
