import type BetterSqlite3 from 'better-sqlite3';
import { EXEC_NODE_COLUMNS, EXEC_NODE_JOINS, execNodeFromArray, rawRows, type ExecNode } from './exec-node.js';

export interface RootFilter {
  host?: string;
  /** Short container id, or `host` for processes outside any container. */
  container?: string;
}

/**
 * The tops of the process forest: processes with no known parent, or, within a container, the
 * processes whose parent is outside it (the container's entry points).
 */
export function rootsOf(db: BetterSqlite3.Database, filter: RootFilter, page: { offset: number; limit: number }): ExecNode[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.host !== undefined) {
    where.push('pp.host_id = (SELECT host_id FROM hosts WHERE hostname = ?)');
    params.push(filter.host);
  }
  if (filter.container !== undefined && filter.container !== 'host') {
    where.push(`pp.container_id = ? AND (pp.parent_process_id IS NULL OR
      (SELECT x.container_id FROM processes x WHERE x.process_id = pp.parent_process_id) IS NOT pp.container_id)`);
    params.push(filter.container);
  } else if (filter.container === 'host') {
    where.push(`pp.container_id IS NULL AND (pp.parent_process_id IS NULL OR
      (SELECT x.container_id FROM processes x WHERE x.process_id = pp.parent_process_id) IS NOT NULL)`);
  } else {
    where.push('pp.parent_process_id IS NULL');
  }
  const rows = rawRows(
    db,
    `SELECT ${EXEC_NODE_COLUMNS} FROM processes pp JOIN execs e ON e.exec_id = pp.last_exec_id
      ${EXEC_NODE_JOINS} WHERE ${where.join(' AND ')} ORDER BY pp.host_id, pp.start_ns, pp.process_id LIMIT ? OFFSET ?`,
    [...params, page.limit, page.offset],
  );
  return rows.map((r) => execNodeFromArray(r));
}
