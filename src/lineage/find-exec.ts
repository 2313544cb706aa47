import type BetterSqlite3 from 'better-sqlite3';
import { PedigreeError } from '../util/errors.js';
import { visible } from '../util/visible.js';
import { EXEC_NODE_COLUMNS, EXEC_NODE_JOINS, execNodeFromArray, rawRows, type ExecNode } from './exec-node.js';

export interface PidQuery {
  pid: number;
  host?: string;
  /** ns since the epoch: the image that pid was running at that moment. */
  at?: bigint;
}

/**
 * The image a pid was running (at a time, when given). A pid reused during the case matches
 * several processes; without --at that is an error listing them, never a silent guess.
 */
export function findExecByPid(db: BetterSqlite3.Database, q: PidQuery): ExecNode {
  const params: unknown[] = [q.pid];
  // Looked up through the process rows (processes_pid): an exec's pid and host are its process's.
  let sql = `SELECT ${EXEC_NODE_COLUMNS} FROM execs e ${EXEC_NODE_JOINS}
    WHERE p.pid = ? AND p.host_id = h.host_id AND e.pid = p.pid AND e.exec_id = p.last_exec_id`;
  if (q.host !== undefined) {
    sql += ' AND h.hostname = ?';
    params.push(q.host);
  }
  if (q.at !== undefined) {
    sql = `SELECT ${EXEC_NODE_COLUMNS} FROM execs e ${EXEC_NODE_JOINS}
      WHERE p.pid = ? AND p.host_id = h.host_id AND e.pid = p.pid ${q.host !== undefined ? 'AND h.hostname = ?' : ''}
        AND (p.start_ns IS NULL OR p.start_ns <= ?) AND (p.end_ns IS NULL OR p.end_ns >= ?)
        AND (e.res IS NULL OR e.res = 0)
      ORDER BY COALESCE(e.ts_ns > ?, 0), CASE WHEN e.ts_ns > ? THEN e.ts_ns ELSE -e.ts_ns END, e.exec_id DESC`;
    // The image current at that time; a process caught before its first recorded image gets that image.
    params.push(q.at, q.at, q.at, q.at);
  }
  const rows = rawRows(db, sql, params).map((r) => execNodeFromArray(r));
  const byProcess = new Map<number, ExecNode>();
  for (const r of rows) if (!byProcess.has(r.processId)) byProcess.set(r.processId, r);
  const matches = [...byProcess.values()];
  if (matches.length === 0) {
    throw new PedigreeError('USAGE', `no process with pid ${q.pid}${q.host ? ` on ${visible(q.host)}` : ''}${q.at !== undefined ? ' at that time' : ''}`);
  }
  if (matches.length > 1) {
    const list = matches
      .map((m) => `  exec ${m.execId}: ${visible(m.host)} pid ${m.pid} ${visible(m.name ?? '?')} (process ${m.processId}, started ${m.processStartNs ?? '?'})`)
      .join('\n');
    throw new PedigreeError('USAGE', `pid ${q.pid} names ${matches.length} processes (the pid was reused); pass --at TIME, --host or an EXEC_ID:\n${list}`);
  }
  return matches[0] as ExecNode;
}
