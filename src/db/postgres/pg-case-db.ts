import type BetterSqlite3 from 'better-sqlite3';
import { caseSchema } from '../case-schema.js';
import { batchConnections, type BatchOutcome, type BatchStatement, PgConcurrent } from './pg-concurrent.js';
import { idSequence } from './pg-layout.js';
import { encodeParam } from './pg-values.js';
import { bindSlots, rewritePlaceholders } from './placeholders.js';
import type { PgSyncConnection } from './pg-sync.js';

type Args = unknown[];

/**
 * A case on PostgreSQL behind the part of better-sqlite3's interface the commands use
 * (prepare → all/get/iterate/run, raw, pluck, columns, transaction), so every command, the
 * lineage queries and the rule and chain runners run unchanged on either backend.
 */
export class PgCaseDb {
  readonly backend = 'postgres' as const;
  readonly name: string;
  readonly readonly: boolean;
  private depth = 0;
  private readonly pools = new Map<string, PgConcurrent>();

  constructor(
    readonly connection: PgSyncConnection,
    name: string,
    readOnly: boolean,
  ) {
    this.name = name;
    this.readonly = readOnly;
  }

  prepare(sql: string): PgStatement {
    return new PgStatement(this.connection, sql);
  }

  exec(sql: string): this {
    this.connection.query(sql);
    return this;
  }

  /** SQLite pragmas have no PostgreSQL meaning; reads of them answer nothing. */
  pragma(_source: string, _options?: unknown): unknown[] {
    return [];
  }

  function(): this {
    return this; // the functions are installed in the database by its migration
  }

  defaultSafeIntegers(): this {
    return this;
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): F {
    const run = (...args: Parameters<F>) => {
      const outer = this.depth === 0;
      this.connection.query(outer ? 'BEGIN' : `SAVEPOINT sp${this.depth}`);
      this.depth++;
      try {
        const result = fn(...args);
        this.depth--;
        this.connection.query(outer ? 'COMMIT' : `RELEASE SAVEPOINT sp${this.depth}`);
        return result;
      } catch (err) {
        this.depth--;
        this.connection.query(outer ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT sp${this.depth}`);
        throw err;
      }
    };
    return run as unknown as F;
  }

  /**
   * Runs independent read statements concurrently on extra read-only connections opened with
   * these session settings (kept open until close).
   */
  runConcurrently(statements: readonly BatchStatement[], settings: Record<string, string>, statementTimeoutMs: number): BatchOutcome[] {
    const key = JSON.stringify(settings);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new PgConcurrent(this.name, batchConnections(), { statementTimeoutMs, settings });
      this.pools.set(key, pool);
    }
    return pool.run(statements);
  }

  close(): void {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
    this.connection.close();
  }

  /** Typed as the SQLite connection the callers expect; see the class comment. */
  asDatabase(): BetterSqlite3.Database {
    return this as unknown as BetterSqlite3.Database;
  }
}

/** `INSERT INTO t …` gets `RETURNING <t's id>`, so run() can answer lastInsertRowid. */
function withReturnedId(sql: string): string {
  const m = /^\s*INSERT\s+INTO\s+"?(\w+)"?/i.exec(sql);
  if (!m || /\bRETURNING\b/i.test(sql)) return sql;
  const table = caseSchema().tables.find((t) => t.name === m[1]);
  if (!table || !idSequence(table)) return sql;
  return `${sql.replace(/[\s;]+$/, '')} RETURNING "${table.primaryKey[0]}"`;
}

class PgStatement {
  readonly reader: boolean;
  private rawMode = false;
  private pluckMode = false;
  private readonly text: string;
  private readonly slots: (number | string)[];
  private lastColumns: string[] | undefined;
  /** Runs so far: a statement run a second time is prepared on the server. */
  private runs = 0;

  constructor(
    private readonly connection: PgSyncConnection,
    readonly source: string,
  ) {
    const rewritten = rewritePlaceholders(source);
    this.text = withReturnedId(rewritten.sql);
    this.slots = rewritten.slots;
    this.reader = /^\s*(\(\s*)*(SELECT|WITH|VALUES|EXPLAIN|SHOW|TABLE)\b/i.test(source.replace(/^(\s*--[^\n]*\n)+/, ''));
  }

  raw(on = true): this {
    this.rawMode = on;
    return this;
  }

  pluck(on = true): this {
    this.pluckMode = on;
    return this;
  }

  safeIntegers(): this {
    return this;
  }

  columns(): { name: string }[] {
    if (!this.lastColumns) {
      // Column names without running the statement: a zero-row run of it.
      const body = this.text.replace(/(\s|;|--[^\n]*\n?)+$/, '');
      const r = this.connection.query(`SELECT * FROM (${body}) AS q LIMIT 0`, this.nullParams());
      this.lastColumns = r.columns;
    }
    return this.lastColumns.map((name) => ({ name }));
  }

  all(...args: Args): unknown[] {
    return this.run_(args).map((r) => this.shape(r));
  }

  get(...args: Args): unknown {
    const rows = this.run_(args);
    return rows.length > 0 ? this.shape(rows[0] as unknown[]) : undefined;
  }

  *iterate(...args: Args): IterableIterator<unknown> {
    for (const r of this.run_(args)) yield this.shape(r);
  }

  run(...args: Args): { changes: number; lastInsertRowid: bigint } {
    const result = this.execute(args);
    const first = result.rows[0]?.[0];
    return { changes: result.rowCount, lastInsertRowid: typeof first === 'bigint' ? first : 0n };
  }

  private execute(args: Args) {
    return ++this.runs > 1 ? this.connection.queryPrepared(this.text, this.bind(args)) : this.connection.query(this.text, this.bind(args));
  }

  private run_(args: Args): unknown[][] {
    const result = this.execute(args);
    this.lastColumns = result.columns;
    return result.rows;
  }

  private bind(args: Args): unknown[] {
    return bindSlots(this.slots, args).map(encodeParam);
  }

  private nullParams(): unknown[] {
    return this.slots.map(() => null);
  }

  private shape(row: unknown[]): unknown {
    if (this.pluckMode) return row[0];
    if (this.rawMode) return row;
    const cols = this.lastColumns ?? [];
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < cols.length; i++) obj[cols[i] as string] = row[i];
    return obj;
  }
}

/** The connection is a case on PostgreSQL (its schema is always whole: migrations run on open for write). */
export function isPostgresDb(db: unknown): boolean {
  return db instanceof PgCaseDb;
}
