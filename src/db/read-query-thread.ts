import { parentPort, workerData } from 'node:worker_threads';
import { openCaseTarget } from './open-case-target.js';
import { isPostgresUrl } from './postgres/pg-url.js';

/**
 * The worker thread of read-query-runner.ts: one read-only connection to the case, opened as
 * every reader opens it (openCaseTarget), answering one statement at a time.
 */
interface Request {
  id: number;
  sql: string;
  params: unknown[];
  limit: number;
}

const target = (workerData as { target: string }).target;
const db = openCaseTarget(target);
// PostgreSQL answers a statement whole: the bound goes into the statement so the server stops there.
const onPostgres = isPostgresUrl(target);
// The runner cancels a statement on the server by this backend's pid (ending this thread does not).
if (onPostgres) parentPort?.postMessage({ backendPid: Number(db.prepare('SELECT pg_backend_pid()').pluck().get()) });

function answer(msg: Request): { columns: string[]; rows: unknown[][]; truncated: boolean } {
  const body = msg.sql.replace(/[\s;]+$/, '');
  const asked = db.prepare(body);
  if (!asked.reader) throw new Error('only statements that return rows (SELECT, WITH, PRAGMA reads) can run here: the case is read-only');
  // Wrapped, the statement loses a trailing `;` and comment (they would end the subquery early).
  const inner = body.replace(/(\s|;|--[^\n]*\n?)+$/, '');
  const stmt = onPostgres ? db.prepare(`SELECT * FROM (${inner}\n) AS q LIMIT ${Math.floor(msg.limit) + 1}`) : asked;
  const columns = stmt.columns().map((c) => c.name);
  const rows: unknown[][] = [];
  let truncated = false;
  for (const row of stmt.raw(true).iterate(...msg.params) as Iterable<unknown[]>) {
    if (rows.length === msg.limit) {
      truncated = true;
      break;
    }
    rows.push(row);
  }
  return { columns, rows, truncated };
}

parentPort?.on('message', (msg: Request) => {
  const t0 = performance.now();
  try {
    parentPort?.postMessage({ id: msg.id, ok: true, ...answer(msg), elapsedMs: performance.now() - t0 });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
