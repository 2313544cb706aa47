/** Messages between the synchronous PostgreSQL connection and its worker thread. */

export interface PgOpen {
  kind: 'open';
  url: string;
  readOnly: boolean;
  statementTimeoutMs: number;
}

export interface PgQuery {
  kind: 'query';
  sql: string;
  params: unknown[];
  /** Rows as arrays (in column order) instead of objects. */
  arrays: boolean;
}

export interface PgClose {
  kind: 'close';
}

export type PgRequest = PgOpen | PgQuery | PgClose;

export type PgReply = { ok: true; columns: string[]; rows: unknown[][]; rowCount: number } | { ok: false; message: string; pgCode?: string; errno?: string };
