import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { TableResult } from './types.js';

/**
 * Runs SQL on a worker thread with its own read-only connection, so a slow query (user SQL,
 * a substring search over every exec) never blocks the keyboard or the screen, and can be
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

// Plain CommonJS so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.dbPath, { readonly: true, fileMustExist: true });
db.pragma('query_only = 1');
db.defaultSafeIntegers(true);
parentPort.on('message', (msg) => {
  const t0 = performance.now();
  try {
    const stmt = db.prepare(msg.sql);
    if (!stmt.reader) throw new Error('only statements that return rows (SELECT, WITH, PRAGMA reads) can run here: the case is read-only');
    const columns = stmt.columns().map((c) => c.name);
    const rows = [];
    let truncated = false;
    for (const row of stmt.raw(true).iterate(...msg.params)) {
      if (rows.length === msg.limit) { truncated = true; break; }
      rows.push(row);
    }
    parentPort.postMessage({ id: msg.id, ok: true, columns, rows, truncated, elapsedMs: performance.now() - t0 });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: String(err && err.message ? err.message : err) });
  }
});
`;

interface Pending {
  id: number;
  resolve: (r: TableResult & { elapsedMs: number }) => void;
  reject: (e: Error) => void;
}

export function createQueryRunner(dbPath: string): QueryRunner {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
  let worker: Worker | null = null;
  let pending: Pending | null = null;
  let nextId = 1;

  const start = (): Worker => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { dbPath, driverPath } });
    w.unref();
    w.on('message', (msg: { id: number; ok: boolean; error?: string } & TableResult & { elapsedMs: number }) => {
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
    },
  };
}
