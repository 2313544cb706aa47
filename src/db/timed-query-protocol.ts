/** Messages between TimedQueries (timed-query.ts) and its child process (timed-query-child.ts). */

export interface QueryRequest {
  id: number;
  sql: string;
  parameters: unknown[];
}

export type QueryReply =
  /** The case is open; queries can be sent. */
  | { t: 'ready' }
  /** The case could not be opened: the run cannot go on. */
  | { t: 'fatal'; code: string | undefined; message: string }
  /** The query's clock starts now (opening the case is not counted). */
  | { id: number; t: 'started' }
  /** A batch of result rows, each an array in `columns` order. */
  | { id: number; t: 'rows'; rows: unknown[][] }
  | { id: number; t: 'done'; columns: string[]; rows: unknown[][] }
  | { id: number; t: 'error'; message: string };
