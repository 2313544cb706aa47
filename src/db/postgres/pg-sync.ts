import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { startWorker } from '../../util/start-worker.js';
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

  constructor(url: string, options: { readOnly: boolean; statementTimeoutMs: number }) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.waitLimitMs = options.statementTimeoutMs > 0 ? options.statementTimeoutMs + 30_000 : Number.POSITIVE_INFINITY;
    this.worker = startWorker(import.meta.url, './pg-worker', {
      workerData: { port: port2, flag: this.signal.buffer },
      transferList: [port2],
    });
    this.worker.unref();
    try {
      this.request({ kind: 'open', url, ...options });
    } catch (err) {
      this.terminate();
      throw err;
    }
  }

  query(sql: string, params: unknown[] = []): PgResult {
    return this.request({ kind: 'query', sql, params, arrays: true });
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
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(req);
    // A worker that died never answers: give up after the statement timeout and a margin.
    if (Atomics.wait(this.signal, 0, 0, this.waitLimitMs) === 'timed-out') {
      this.terminate();
      throw new PgQueryError('no answer from PostgreSQL in time (the connection was closed)');
    }
    const msg = receiveMessageOnPort(this.port)?.message as PgReply | undefined;
    if (!msg) throw new PgQueryError('the PostgreSQL worker stopped without answering');
    if (!msg.ok) throw new PgQueryError(msg.message, msg.pgCode, msg.errno);
    return msg;
  }
}
