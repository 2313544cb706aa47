import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { startWorker } from '../../util/start-worker.js';
import { unpackRows } from './packed-rows.js';
import type { PgReply, PgRequest } from './pg-protocol.js';

export class PgQueryError extends Error {
  constructor(
    message: string,
    readonly pgCode?: string,
    readonly errno?: string,
  ) {
    super(message);
    this.name = 'PgQueryError';
  }
}

const PREPARED_LIMIT = 256;

export interface PgResult {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
}

/**
 * One PostgreSQL connection used synchronously: the commands, the lineage queries and the rule
 * and chain runners are written against a synchronous database (better-sqlite3), so a worker
 * thread holds the pg client and the caller blocks on Atomics.wait until its answer arrives.
 */
export class PgSyncConnection {
  private readonly worker: Worker;
  private readonly port;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;
  private readonly waitLimitMs: number;

  private pending = false;
  private readonly preparedNames = new Map<string, string>();

  /**
   * `answered`, when given, is a counter the worker also raises after each answer, so a caller
   * with several connections can sleep until any of them answers (pg-concurrent.ts).
   */
  constructor(url: string, options: { readOnly: boolean; statementTimeoutMs: number; settings?: Record<string, string>; answered?: Int32Array }) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.waitLimitMs = options.statementTimeoutMs > 0 ? options.statementTimeoutMs + 30_000 : Number.POSITIVE_INFINITY;
    this.worker = startWorker(import.meta.url, './pg-worker', {
      workerData: { port: port2, flag: this.signal.buffer, answered: options.answered?.buffer },
      transferList: [port2],
    });
    this.worker.unref();
    try {
      this.request({ kind: 'open', url, readOnly: options.readOnly, statementTimeoutMs: options.statementTimeoutMs, settings: options.settings ?? {} });
    } catch (err) {
      this.terminate();
      throw err;
    }
  }

  query(sql: string, params: unknown[] = []): PgResult {
    return this.request({ kind: 'query', sql, params, arrays: true });
  }

  /**
   * A statement run again and again (lineage walks, TUI pages): prepared on the server once, so
   * later runs skip parsing and, once PostgreSQL settles on a generic plan, planning (planning
   * the ancestry query took longer than running it). At most PREPARED_LIMIT per connection.
   */
  queryPrepared(sql: string, params: unknown[] = []): PgResult {
    let name = this.preparedNames.get(sql);
    if (name === undefined && this.preparedNames.size < PREPARED_LIMIT) {
      name = `pedigree_${this.preparedNames.size + 1}`;
      this.preparedNames.set(sql, name);
    }
    return this.request({ kind: 'query', sql, params, arrays: true, ...(name ? { name } : {}) });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends a query without waiting for it; `answer()` collects it. One at a time per connection. */
  send(sql: string, params: unknown[] = []): void {
    if (this.closed) throw new PgQueryError('the PostgreSQL connection is closed');
    if (this.pending) throw new PgQueryError('a query is already running on this connection');
    Atomics.store(this.signal, 0, 0);
    this.pending = true;
    this.port.postMessage({ kind: 'query', sql, params, arrays: true } satisfies PgRequest);
  }

  /** Whether the query sent last has been answered (then `answer()` does not block). */
  answered(): boolean {
    return Atomics.load(this.signal, 0) === 1;
  }

  /** The answer to the query sent last, waiting for it if need be. */
  answer(): PgResult {
    if (!this.pending) throw new PgQueryError('no query was sent on this connection');
    this.pending = false;
    return this.awaitReply();
  }

  close(): void {
    if (this.closed) return;
    try {
      this.request({ kind: 'close' });
    } finally {
      this.terminate();
    }
  }

  private terminate(): void {
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }

  private request(req: PgRequest): PgResult {
    if (this.closed) throw new PgQueryError('the PostgreSQL connection is closed');
    if (this.pending) throw new PgQueryError('a query is already running on this connection');
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(req);
    return this.awaitReply();
  }

  private awaitReply(): PgResult {
    // A worker that died never answers: give up after the statement timeout and a margin.
    if (Atomics.wait(this.signal, 0, 0, this.waitLimitMs) === 'timed-out') {
      this.terminate();
      throw new PgQueryError('no answer from PostgreSQL in time (the connection was closed)');
    }
    const msg = receiveMessageOnPort(this.port)?.message as PgReply | undefined;
    if (!msg) throw new PgQueryError('the PostgreSQL worker stopped without answering');
    if (!msg.ok) throw new PgQueryError(msg.message, msg.pgCode, msg.errno);
    return { columns: msg.columns, rows: unpackRows(msg.rows), rowCount: msg.rowCount };
  }
}
