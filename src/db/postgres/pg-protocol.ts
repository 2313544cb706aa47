import type { PackedRows } from './packed-rows.js';

/** Messages between the synchronous PostgreSQL connection and its worker thread. */

export interface PgOpen {
  kind: 'open';
  url: string;
  readOnly: boolean;
  statementTimeoutMs: number;
  /** Session settings (name → value) the connection starts with. */
  settings: Record<string, string>;
}

export interface PgQuery {
  kind: 'query';
  sql: string;
  params: unknown[];
  /** Rows as arrays (in column order) instead of objects. */
  arrays: boolean;
  /** A server-side prepared statement of this name (parsed and planned once per connection). */
  name?: string;
}

export interface PgClose {
  kind: 'close';
}

export type PgRequest = PgOpen | PgQuery | PgClose;

export type PgReply = { ok: true; columns: string[]; rows: PackedRows; rowCount: number } | { ok: false; message: string; pgCode?: string; errno?: string };
