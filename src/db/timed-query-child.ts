// The child process TimedQueries starts: opens the case read-only (its path is the last
// argument) and runs one query at a time, streaming the rows back. It is killed from outside
// when a query runs past its time limit: SQLite offers no interrupt through better-sqlite3, and
// a worker thread cannot be stopped inside a native call.
import { openCaseReadOnly, type Db } from './open.js';
import type { QueryReply, QueryRequest } from './timed-query-protocol.js';

const BATCH_ROWS = 4096;

function send(reply: QueryReply): void {
  process.send?.(reply);
}

function runQuery(db: Db, request: QueryRequest): void {
  send({ id: request.id, t: 'started' });
  try {
    const stmt = db.prepare(request.sql).raw(true);
    const columns = stmt.columns().map((c) => c.name);
    let batch: unknown[][] = [];
    for (const row of stmt.iterate(...request.parameters) as IterableIterator<unknown[]>) {
      batch.push(row);
      if (batch.length === BATCH_ROWS) {
        send({ id: request.id, t: 'rows', rows: batch });
        batch = [];
      }
    }
    send({ id: request.id, t: 'done', columns, rows: batch });
  } catch (err) {
    send({ id: request.id, t: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

let db: Db;
try {
  db = openCaseReadOnly(process.argv[process.argv.length - 1] ?? '');
} catch (err) {
  send({ t: 'fatal', code: (err as { code?: string }).code, message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
send({ t: 'ready' });
process.on('message', (request: QueryRequest) => runQuery(db, request));
// The parent is gone (it closed the channel, or died): nothing is left to answer.
process.on('disconnect', () => {
  db.close();
  process.exit(0);
});
