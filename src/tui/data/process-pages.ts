import type BetterSqlite3 from 'better-sqlite3';
import { CHILD_COUNT_CAP, type Cursor, type Page, type ProcessRow, type TreeScope } from './types.js';
import { big, bool, num, str, type Raw } from './sql-values.js';
import { prepared } from '../../db/statement-cache.js';
import { walkBound } from '../../lineage/ancestry.js';

/**
 * Pages of processes for the lazy tree: children of a process, or the roots of a scope.
 *
 * Lists are ordered by process_id and paged by keyset (`process_id > last seen`), never by
 * OFFSET or by start time: the index on parent_process_id (or container_id) already holds its
 * entries in rowid order, so a page costs `limit` index steps however many siblings there are.
 * Process ids are assigned in capture order, so this is also (nearly) start order.
 */
const ROW_COLUMNS = `pp.process_id, pp.parent_process_id, pp.host_id, pp.pid, pp.container_id, pp.start_ns, pp.end_ns,
  pp.exit_code, pp.exit_signal, pp.origin, e.exec_id, e.name, e.cmdline,
  (SELECT count(*) FROM (SELECT 1 FROM processes c WHERE c.parent_process_id = pp.process_id LIMIT ${CHILD_COUNT_CAP}) AS c) AS child_count,
  EXISTS (SELECT 1 FROM execs x JOIN alerts a ON a.exec_id = x.exec_id WHERE x.process_id = pp.process_id) AS alerted`;
const ROW_FROM = 'processes pp LEFT JOIN execs e ON e.exec_id = pp.last_exec_id';

function processRowFromRaw(r: Raw): ProcessRow {
  return {
    processId: Number(r.process_id),
    parentProcessId: num(r.parent_process_id),
    hostId: Number(r.host_id),
    pid: Number(r.pid),
    execId: num(r.exec_id),
    name: str(r.name),
    cmdline: str(r.cmdline),
    containerId: str(r.container_id),
    startNs: big(r.start_ns),
    endNs: big(r.end_ns),
    exitCode: num(r.exit_code),
    exitSignal: num(r.exit_signal),
    origin: String(r.origin),
    childCount: Number(r.child_count),
    alerted: bool(r.alerted),
  };
}

/** The filter that defines one list, with its parameters. */
interface ListFilter {
  where: string;
  params: unknown[];
}

function listFilter(list: ProcessList): ListFilter {
  switch (list.kind) {
    case 'children':
      return { where: 'pp.parent_process_id = ?', params: [list.parentProcessId] };
    case 'roots':
      if (list.scope.kind === 'host') return { where: 'pp.parent_process_id IS NULL AND pp.host_id = ?', params: [list.scope.hostId] };
      // A container's entry points: its processes whose creator is unknown or outside it.
      return {
        where: `pp.container_id = ? AND (pp.parent_process_id IS NULL OR
          (SELECT x.container_id FROM processes x WHERE x.process_id = pp.parent_process_id) IS DISTINCT FROM pp.container_id)`,
        params: [list.scope.containerId],
      };
  }
}

export type ProcessList = { kind: 'children'; parentProcessId: number } | { kind: 'roots'; scope: TreeScope };

function fetchRows(db: BetterSqlite3.Database, f: ListFilter, keyset: string, order: 'ASC' | 'DESC', key: number | null, limit: number): ProcessRow[] {
  const keyClause = key === null ? '' : ` AND pp.process_id ${keyset} ?`;
  const sql = `SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE ${f.where}${keyClause} ORDER BY pp.process_id ${order} LIMIT ?`;
  const params = key === null ? [...f.params, limit] : [...f.params, key, limit];
  return (prepared(db, sql).all(...params) as Raw[]).map(processRowFromRaw);
}

function exists(db: BetterSqlite3.Database, f: ListFilter, keyset: string, key: number): boolean {
  const sql = `SELECT 1 FROM processes pp WHERE ${f.where} AND pp.process_id ${keyset} ? LIMIT 1`;
  return prepared(db, sql).get(...f.params, key) !== undefined;
}

/**
 * One page of a process list. `{after: null}` is the first page; `{after: id}` continues after
 * id; `{before: id}` is the page ending just before id; `{from: id}` starts at id (to reveal it).
 */
export function processPage(db: BetterSqlite3.Database, list: ProcessList, cursor: Cursor, limit: number): Page<ProcessRow> {
  const f = listFilter(list);
  if ('before' in cursor) {
    const rows = fetchRows(db, f, '<', 'DESC', cursor.before, limit + 1);
    const moreBefore = rows.length > limit;
    return { items: rows.slice(0, limit).reverse(), moreBefore, moreAfter: true };
  }
  const start = 'from' in cursor ? cursor.from : cursor.after;
  const op = 'from' in cursor ? '>=' : '>';
  const rows = fetchRows(db, f, op, 'ASC', start, limit + 1);
  const moreAfter = rows.length > limit;
  const moreBefore = start !== null && ('from' in cursor ? exists(db, f, '<', start) : true);
  return { items: rows.slice(0, limit), moreBefore, moreAfter };
}

/** One process row by id, or undefined. */
export function processRowById(db: BetterSqlite3.Database, processId: number): ProcessRow | undefined {
  const raw = prepared(db, `SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE pp.process_id = ?`).get(processId) as Raw | undefined;
  return raw ? processRowFromRaw(raw) : undefined;
}

/** The chain of processes from the oldest known ancestor down to the process, at any depth. */
export function processPath(db: BetterSqlite3.Database, processId: number): ProcessRow[] {
  const sql = `WITH RECURSIVE up(process_id, depth) AS (
      SELECT CAST(? AS BIGINT), 0
      UNION ALL
      SELECT x.parent_process_id, up.depth + 1 FROM up JOIN processes x ON x.process_id = up.process_id
      WHERE x.parent_process_id IS NOT NULL AND up.depth < ?)
    SELECT ${ROW_COLUMNS} FROM up JOIN processes pp ON pp.process_id = up.process_id
    LEFT JOIN execs e ON e.exec_id = pp.last_exec_id ORDER BY up.depth DESC`;
  return (prepared(db, sql).all(processId, walkBound(db, 'processes', 'process_id')) as Raw[]).map(processRowFromRaw);
}
