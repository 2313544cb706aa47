import { availableParallelism } from 'node:os';
import { encodeParam } from './pg-values.js';
import { bindSlots, rewritePlaceholders } from './placeholders.js';
import { type PgResult, PgSyncConnection } from './pg-sync.js';

/** One statement of a batch, written as for SQLite (`?` placeholders, positional values). */
export interface BatchStatement {
  sql: string;
  parameters: readonly unknown[];
}

export type BatchOutcome = { ok: true; rows: Record<string, unknown>[]; ms: number } | { ok: false; message: string; ms: number };

/**
 * How many connections evaluate a batch at once: PEDIGREE_PG_CONNECTIONS, else one per CPU core
 * of this machine (at most 8). Each is one PostgreSQL backend process, so on Citus each may sit
 * on a different worker node.
 */
export function batchConnections(): number {
  const v = Number(process.env.PEDIGREE_PG_CONNECTIONS);
  if (Number.isInteger(v) && v > 0) return Math.min(v, 64);
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Read-only connections that evaluate independent statements (one rule, one chain on one host)
 * concurrently; the caller stays synchronous and sleeps until any connection answers. Answers
 * come back in the order of the statements, whatever order they finished in.
 */
export class PgConcurrent {
  private readonly answered = new Int32Array(new SharedArrayBuffer(4));
  private readonly connections: PgSyncConnection[] = [];

  constructor(
    private readonly url: string,
    private readonly size: number,
    private readonly options: { statementTimeoutMs: number; settings: Record<string, string> },
  ) {}

  run(statements: readonly BatchStatement[]): BatchOutcome[] {
    const out: BatchOutcome[] = new Array(statements.length);
    this.open(Math.min(this.size, statements.length));
    const busy = new Map<PgSyncConnection, { index: number; started: bigint }>();
    const idle = [...this.connections];
    let next = 0;
    while (next < statements.length || busy.size > 0) {
      if (idle.length === 0 && busy.size === 0) idle.push(...this.open(1));
      while (next < statements.length && idle.length > 0) {
        const conn = idle.pop() as PgSyncConnection;
        const st = statements[next] as BatchStatement;
        const rewritten = rewritePlaceholders(st.sql);
        busy.set(conn, { index: next, started: process.hrtime.bigint() });
        conn.send(rewritten.sql, bindSlots(rewritten.slots, st.parameters).map(encodeParam));
        next++;
      }
      const seen = Atomics.load(this.answered, 0);
      let collected = false;
      for (const [conn, job] of busy) {
        if (!conn.answered()) continue;
        busy.delete(conn);
        out[job.index] = outcome(conn, job.started);
        if (conn.isOpen) idle.push(conn);
        else this.connections.splice(this.connections.indexOf(conn), 1);
        collected = true;
      }
      if (!collected) Atomics.wait(this.answered, 0, seen, 1000);
    }
    return out;
  }

  close(): void {
    for (const c of this.connections.splice(0)) c.close();
  }

  /** Opens connections until there are `n`; returns the new ones. */
  private open(n: number): PgSyncConnection[] {
    const added: PgSyncConnection[] = [];
    while (this.connections.length < n) {
      const conn = new PgSyncConnection(this.url, { readOnly: true, ...this.options, answered: this.answered });
      this.connections.push(conn);
      added.push(conn);
    }
    return added;
  }
}

function outcome(conn: PgSyncConnection, started: bigint): BatchOutcome {
  let result: PgResult;
  try {
    result = conn.answer();
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err), ms: elapsedMs(started) };
  }
  const rows = result.rows.map((r) => {
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < result.columns.length; i++) obj[result.columns[i] as string] = r[i];
    return obj;
  });
  return { ok: true, rows, ms: elapsedMs(started) };
}

function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}
