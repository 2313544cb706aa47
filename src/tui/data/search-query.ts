import { likePattern } from './sql-values.js';
import type { TreeScope } from './types.js';

export const SEARCH_MATCH_CAP = 1000;

/**
 * The SQL (for the query worker) finding the execs whose name or command line contains `text`,
 * in the scope the tree shows, in capture order. Fork rows are skipped unless they are a
 * process's only image: a fork carries its parent's command line and would match twice.
 */
export function substringSearchSql(text: string, scope: TreeScope): { sql: string; params: unknown[] } {
  const pattern = likePattern(text);
  const params: unknown[] = [pattern, pattern];
  let scopeClause = '';
  if (scope.kind === 'container') {
    scopeClause = ' AND e.container_id = ?';
    params.push(scope.containerId);
  } else {
    scopeClause = ' AND e.host_id = ?';
    params.push(scope.hostId);
  }
  const sql = `SELECT e.exec_id, e.process_id FROM execs e
    WHERE (e.name LIKE ? ESCAPE '\\' OR e.cmdline LIKE ? ESCAPE '\\')${scopeClause}
      AND (e.kind <> 'fork' OR e.exec_id = (SELECT p.last_exec_id FROM processes p WHERE p.process_id = e.process_id))
    ORDER BY e.exec_id`;
  return { sql, params };
}

/** A search for a whole number also looks the pid up (exactly, through an index). */
export function searchPid(text: string): number | null {
  return /^\d{1,10}$/.test(text.trim()) ? Number(text.trim()) : null;
}
