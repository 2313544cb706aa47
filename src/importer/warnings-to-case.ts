import type BetterSqlite3 from 'better-sqlite3';
import type { ImportWarning } from '../capture/reader.js';

/**
 * A capture's warnings, written into capture_warnings as they come (inside the import's
 * transaction) instead of held until the end: a damaged file read with --skip-bad can warn once
 * per record, and millions of warnings held in memory grew the import without bound. Those
 * reported before the capture has its row wait for it.
 */
export class WarningsToCase {
  count = 0;
  private waiting: ImportWarning[] = [];
  private insert: BetterSqlite3.Statement | null = null;
  private captureId = 0;

  constructor(private readonly db: BetterSqlite3.Database) {}

  add(w: ImportWarning): void {
    this.count++;
    if (this.insert === null) this.waiting.push(w);
    else this.store(w);
  }

  /** The capture's row exists: what waited is written, and every later warning at once. */
  storeUnder(captureId: number): void {
    this.captureId = captureId;
    this.insert = this.db.prepare('INSERT INTO capture_warnings (capture_id, line, byte_offset, message) VALUES (?,?,?,?)');
    for (const w of this.waiting) this.store(w);
    this.waiting = [];
  }

  private store(w: ImportWarning): void {
    this.insert?.run(this.captureId, w.location.line ?? null, w.location.offset ?? null, w.message);
  }
}
