import { likePattern } from './sql-values.js';
import type { TreeScope } from './types.js';

/** Matching execs read per page: the worker stops there and says whether more follow. */
export const SEARCH_PAGE = 200;

/**
 * The SQL (for the query worker) finding the execs whose name or command line contains `text`,
 * in the scope the tree shows (null: the whole case), in capture order, a page at a time by
 * keyset on exec_id (`after`: the last exec id of the previous page). Fork rows are skipped
 * unless they are a process's only image: a fork carries its parent's command line and would
 * match twice. One more row than a page is asked for, so the worker can say that more follow.
 */
export function substringSearchSql(text: string, scope: TreeScope | null, after: number | null = null, page = SEARCH_PAGE): { sql: string; params: unknown[] } {
  const pattern = likePattern(text);
  const params: unknown[] = [pattern, pattern];
  let scopeClause = '';
  if (scope?.kind === 'container') {
    scopeClause = ' AND e.container_id = ?';
    params.push(scope.containerId);
  } else if (scope?.kind === 'host') {
    scopeClause = ' AND e.host_id = ?';
    params.push(scope.hostId);
  }
  let afterClause = '';
  if (after !== null) {
    afterClause = ' AND e.exec_id > ?';
    params.push(after);
  }
  params.push(page + 1);
  const sql = `SELECT e.exec_id, e.process_id FROM execs e
    WHERE (e.name LIKE ? ESCAPE '\\' OR e.cmdline LIKE ? ESCAPE '\\')${scopeClause}${afterClause}
      AND (e.kind <> 'fork' OR e.exec_id = (SELECT p.last_exec_id FROM processes p WHERE p.process_id = e.process_id))
    ORDER BY e.exec_id LIMIT ?`;
  return { sql, params };
}

/** A search for a whole number also looks the pid up (exactly, through an index). */
export function searchPid(text: string): number | null {
  return /^\d{1,10}$/.test(text.trim()) ? Number(text.trim()) : null;
}
