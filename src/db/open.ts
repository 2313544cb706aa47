import Database from 'better-sqlite3';
import { PedigreeError } from '../util/errors.js';
import { checkCasePath, hasCaseSchema, isEmptyDatabase, rollBackHotJournal } from './case-file.js';
import { applyMigrations } from './migrate.js';
import { refuseNewerSchema, requireCurrentSchema } from './schema-version.js';
import { registerSqlFunctions } from './sql-functions.js';
import { isBusy, WAIT_FOREVER_MS, waitingForWriter } from './write-lock.js';

export type Db = Database.Database;

/**
 * How long a statement waits on another connection's lock before failing. In WAL mode readers
 * never wait for the writer; what remains is brief (WAL recovery after a crash, a checkpoint),
 * and writers queue explicitly (write-lock.ts) before this applies.
 */
const BUSY_TIMEOUT_MS = 60_000;

/**
 * How long opening a case waits on a lock before saying whom it waits for and waiting as long as
 * that takes. Opening takes a lock only briefly (another process creating the schema), except
 * while the first import into an empty case holds it (its rollback journal: first-import-journal.ts
 * in the importer): readers and writers then wait for that import, as a second importer always does.
 */
const QUIET_OPEN_WAIT_MS = 1_000;

/** Pause between attempts to open a case another writer holds. */
const RETRY_OPEN_MS = 50;

/**
 * Runs `open` with a short lock wait, and again until it succeeds (saying once on stderr whom it
 * waits for) while another writer holds the case. A longer busy timeout alone is not enough:
 * where waiting could deadlock (turning a case WAL while another connection holds it in a
 * rollback journal), SQLite answers SQLITE_BUSY at once without calling the busy handler.
 */
function openWaitingForWriter(path: string, open: (busyTimeoutMs: number) => Db): Db {
  const started = Date.now();
  let said = false;
  for (;;) {
    try {
      return open(said ? WAIT_FOREVER_MS : QUIET_OPEN_WAIT_MS);
    } catch (err) {
      if (!isBusy(err)) throw err;
    }
    // An immediate "busy" is retried quietly too, for as long as a busy wait would have been: a
    // writer that has just taken the case has written its note (whom to name) by then.
    if (!said && Date.now() - started >= QUIET_OPEN_WAIT_MS) {
      process.stderr.write(`pedigree: ${waitingForWriter(path)}\n`);
      said = true;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_OPEN_MS);
  }
}

/**
 * Opens (and creates or upgrades) a case database for writing, tuned for bulk import.
 * WAL with synchronous=NORMAL: a committed import survives a power loss or OS crash up to the
 * last checkpoint-safe commit, an interrupted one leaves no trace, and readers keep reading
 * while an import runs.
 */
export function openCaseForWrite(path: string): Db {
  checkCasePath(path, false);
  return openWaitingForWriter(path, (busyTimeoutMs) => openForWrite(path, busyTimeoutMs));
}

function openForWrite(path: string, busyTimeoutMs: number): Db {
  rollBackHotJournal(path, busyTimeoutMs);
  const db = openOrExplain(path, () => new Database(path, { timeout: busyTimeoutMs }));
  try {
    // Rows arrive in stream order (an exec before its process row is complete), so references
    // are checked by the linker, not by SQLite.
    db.pragma('foreign_keys = OFF');
    if (!hasCaseSchema(db) && !isEmptyDatabase(db)) {
      throw new PedigreeError('DB_SCHEMA', `${path} is an SQLite database that is not a pedigree case (it holds other tables); refusing to add a case to it`);
    }
    refuseNewerSchema(db, path);
    db.pragma('page_size = 16384'); // only takes effect on a new file; measured +10% insert rate
    // A new file turns into a WAL database in a rollback-journal commit, whose fsyncs (file,
    // journal, directory) made a third of a small import's wall time (~20 ms): nothing is stored
    // in it yet, the header reaches the disk with the first checkpoint (which syncs), and an
    // existing case is WAL already (the pragma changes nothing).
    db.pragma('synchronous = OFF');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Index builds sort through temporary files: in memory they would hold a whole index in RAM.
    db.pragma('temp_store = FILE');
    // 64 MiB: enough for index upkeep when a case already holds rows, and keeps peak RSS flat.
    db.pragma('cache_size = -65536');
    db.defaultSafeIntegers(true);
    registerSqlFunctions(db);
    applyMigrations(db);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens an existing case database read-only: query commands and the TUI never write evidence.
 * Integers come back as bigint (timestamps exceed 2^53); callers convert ids with Number().
 */
export function openCaseReadOnly(path: string): Db {
  checkCasePath(path, true);
  return openWaitingForWriter(path, (busyTimeoutMs) => openReadOnly(path, busyTimeoutMs));
}

function openReadOnly(path: string, busyTimeoutMs: number): Db {
  rollBackHotJournal(path, busyTimeoutMs);
  const db = openOrExplain(path, () => new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs }));
  try {
    db.pragma('query_only = 1');
    db.pragma('cache_size = -131072');
    db.pragma('mmap_size = 2147418112');
    db.defaultSafeIntegers(true);
    registerSqlFunctions(db);
    if (!hasCaseSchema(db)) throw new PedigreeError('DB_SCHEMA', `${path} is not a pedigree case database`);
    requireCurrentSchema(db, path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Opens the file and reads its header, turning SQLite's "not a database" into a clear refusal. */
function openOrExplain(path: string, open: () => Db): Db {
  let db: Db | undefined;
  try {
    db = open();
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db?.close();
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      throw new PedigreeError('DB_SCHEMA', `${path} is not a usable case database (${(err as Error).message})`);
    }
    if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY')) {
      throw new PedigreeError('DB_NOT_FOUND', `cannot open the case database ${path} (${(err as Error).message})`);
    }
    throw err;
  }
}
