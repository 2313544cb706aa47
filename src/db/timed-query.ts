import type { ChildProcess } from 'node:child_process';
import { PedigreeError, type ErrorCode } from '../util/errors.js';
import { startChildProcess } from '../util/start-worker.js';
import type { QueryReply, QueryRequest } from './timed-query-protocol.js';

/** What became of one query run under a time limit. */
export type TimedOutcome = { status: 'ok'; rows: Record<string, unknown>[] } | { status: 'error'; message: string } | { status: 'timed-out'; limitMs: number };

interface Pending {
  id: number;
  columns: string[];
  rows: unknown[][];
  timer: NodeJS.Timeout | undefined;
  settle: (outcome: TimedOutcome) => void;
  fail: (err: Error) => void;
}

const KNOWN_CODES = new Set<string>(['DB_NOT_FOUND', 'DB_SCHEMA', 'QUERY']);

/**
 * Runs read-only queries on a SQLite case in one child process, one query at a time, each with
 * a time limit: a query still running at its limit is stopped by killing the child (SIGKILL;
 * nothing else stops SQLite inside a statement from Node), and the next query starts a new one.
 * The limit is counted from when the child starts the query, so its start-up is not charged.
 */
export class TimedQueries {
  private child: ChildProcess | undefined;
  private pending: Pending | undefined;
  private nextId = 1;

  constructor(
    private readonly casePath: string,
    private readonly limitMs: number,
  ) {
    // Started now, so that opening the case overlaps the caller's own preparation.
    this.start();
  }

  run(sql: string, parameters: readonly unknown[]): Promise<TimedOutcome> {
    if (this.pending) throw new Error('TimedQueries runs one query at a time');
    const child = this.child ?? this.start();
    return new Promise<TimedOutcome>((resolve, reject) => {
      const id = this.nextId++;
      this.pending = { id, columns: [], rows: [], timer: undefined, settle: resolve, fail: reject };
      child.send({ id, sql, parameters: [...parameters] } satisfies QueryRequest);
    });
  }

  /** Ends the child; call once the last query has settled. */
  close(): void {
    const child = this.child;
    this.child = undefined;
    if (child?.connected) child.disconnect();
  }

  private start(): ChildProcess {
    const child = startChildProcess(import.meta.url, './timed-query-child', [this.casePath], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.child = child;
    child.on('message', (reply: QueryReply) => this.onReply(reply));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    return child;
  }

  private onReply(reply: QueryReply): void {
    if (reply.t === 'ready') return;
    const p = this.pending;
    if (reply.t === 'fatal') {
      this.finish(() => p?.fail(KNOWN_CODES.has(reply.code ?? '') ? new PedigreeError(reply.code as ErrorCode, reply.message) : new Error(reply.message)));
      return;
    }
    if (!p || reply.id !== p.id) return;
    switch (reply.t) {
      case 'started':
        if (this.limitMs > 0) p.timer = setTimeout(() => this.timeOut(), this.limitMs);
        return;
      case 'rows':
        p.rows.push(...reply.rows);
        return;
      case 'done':
        p.rows.push(...reply.rows);
        p.columns = reply.columns;
        this.finish(() => p.settle({ status: 'ok', rows: toObjects(p.columns, p.rows) }));
        return;
      case 'error':
        this.finish(() => p.settle({ status: 'error', message: reply.message }));
        return;
    }
  }

  private timeOut(): void {
    const p = this.pending;
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGKILL');
    this.finish(() => p?.settle({ status: 'timed-out', limitMs: this.limitMs }));
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return; // killed on purpose, or closed
    this.child = undefined;
    const p = this.pending;
    this.finish(() => p?.settle({ status: 'error', message: `the query process ended unexpectedly (${signal ?? `exit code ${code}`})` }));
  }

  private finish(then: () => void): void {
    if (this.pending?.timer) clearTimeout(this.pending.timer);
    this.pending = undefined;
    then();
  }
}

/** Rows as better-sqlite3 returns them by default: one object per row, later columns winning a name. */
function toObjects(columns: string[], rows: unknown[][]): Record<string, unknown>[] {
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i] as string] = values[i];
    return row;
  });
}

/**
 * Runs the items' queries one after another through `query`, handing each outcome to `settle`
 * (with the time its query started) while the next item's query already runs.
 */
export async function settleInTurn<T extends { sql: string; parameters: readonly unknown[] }>(
  items: readonly T[],
  query: (sql: string, parameters: readonly unknown[]) => Promise<TimedOutcome>,
  settle: (item: T, outcome: TimedOutcome, started: bigint) => void,
): Promise<void> {
  const ask = (item: T | undefined) => (item ? { item, started: process.hrtime.bigint(), outcome: query(item.sql, item.parameters) } : undefined);
  let next = ask(items[0]);
  for (let i = 0; next; i++) {
    const { item, started, outcome } = next;
    const settled = await outcome;
    next = ask(items[i + 1]);
    settle(item, settled, started);
  }
}
