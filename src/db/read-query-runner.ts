import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/start-worker.js';
import { cancelBackend } from './postgres/cancel-backend.js';
import { isPostgresUrl } from './postgres/pg-url.js';

/** Rows of one statement, at most the limit asked; `truncated` when more followed. */
export interface TableResult {
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
}

/**
 * Runs SQL on a worker thread with its own read-only connection (read-query-thread.ts, opened
 * as every reader opens the case: a SQLite file or a postgres:// URL), so a slow query (user
 * SQL, a substring search over every exec) never blocks the keyboard or the screen, and can be
 * cancelled by ending the worker.
 *
 *   const runner = createQueryRunner('case.db');
 *   const { columns, rows, truncated } = await runner.run('SELECT name FROM execs', [], 100);
 */
export interface QueryRunner {
  run(sql: string, params: unknown[], limit: number): Promise<TableResult & { elapsedMs: number }>;
  /** Stops the running query (its promise rejects with QueryCancelled). */
  cancel(): void;
  close(): Promise<void>;
}

export class QueryCancelled extends Error {
  constructor() {
    super('query cancelled');
    this.name = 'QueryCancelled';
  }
}

interface Pending {
  id: number;
  resolve: (r: TableResult & { elapsedMs: number }) => void;
  reject: (e: Error) => void;
}

export function createQueryRunner(target: string): QueryRunner {
  let worker: Worker | null = null;
  let pending: Pending | null = null;
  let nextId = 1;
  /** On PostgreSQL, the worker's backend: a cancelled statement is stopped on the server too. */
  let backendPid: number | null = null;
  /** Cancels still being delivered to the server: close() waits for them, so none outlives the runner. */
  const cancelling = new Set<Promise<void>>();

  const start = (): Worker => {
    const w = startWorker(import.meta.url, './read-query-thread', { workerData: { target } });
    w.unref();
    w.on('message', (msg: ({ id: number; ok: boolean; error?: string } & TableResult & { elapsedMs: number }) | { backendPid: number }) => {
      if ('backendPid' in msg) {
        backendPid = msg.backendPid;
        return;
      }
      if (!pending || pending.id !== msg.id) return;
      const p = pending;
      pending = null;
      if (msg.ok) p.resolve({ columns: msg.columns, rows: msg.rows, truncated: msg.truncated, elapsedMs: msg.elapsedMs });
      else p.reject(new Error(msg.error));
    });
    w.on('error', (err) => {
      worker = null;
      const p = pending;
      pending = null;
      p?.reject(err);
    });
    return w;
  };

  const cancel = (): void => {
    if (!pending) return;
    const p = pending;
    pending = null;
    void worker?.terminate();
    worker = null;
    if (backendPid !== null && isPostgresUrl(target)) {
      const sent = cancelBackend(target, backendPid).finally(() => cancelling.delete(sent));
      cancelling.add(sent);
    }
    backendPid = null;
    p.reject(new QueryCancelled());
  };

  return {
    run(sql, params, limit) {
      cancel();
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise((resolve, reject) => {
        pending = { id, resolve, reject };
        w.postMessage({ id, sql, params, limit });
      });
    },
    cancel,
    async close() {
      cancel();
      const w = worker;
      worker = null;
      if (w) await w.terminate();
      await Promise.all(cancelling);
    },
  };
}
