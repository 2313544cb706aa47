import type BetterSqlite3 from 'better-sqlite3';
import { MAX_LINEAGE_DEPTH } from './ancestry.js';
import { EXEC_NODE_COLUMNS, EXEC_NODE_JOINS, execNodeFromArray, rawRows, type ExecNode } from './exec-node.js';

export interface DescendantProcess extends ExecNode {
  /** 0 = the starting process, 1 = its children, … */
  depth: number;
}

/**
 * The process subtree under a process (the processes it created, theirs, …), each with its last
 * image, in depth-first order. Walks processes.parent_process_id through its index; `limit`
 * bounds the rows so a huge subtree never floods a screen. CROSS JOIN pins the walk as the outer
 * loop: left to itself the planner scanned every process instead (2 s on 5M processes).
 */
export function descendantsOf(
  db: BetterSqlite3.Database,
  processId: number,
  options: { maxDepth?: number; limit?: number } = {},
): DescendantProcess[] {
  const maxDepth = Math.min(options.maxDepth ?? MAX_LINEAGE_DEPTH, MAX_LINEAGE_DEPTH);
  const limit = options.limit ?? -1;
  const rows = rawRows(
    db,
    `WITH RECURSIVE sub(process_id, depth, path) AS (
        SELECT process_id, 0, printf('%012d', process_id) FROM processes WHERE process_id = ?
        UNION ALL
        SELECT c.process_id, sub.depth + 1, sub.path || '/' || printf('%012d', c.process_id)
        FROM sub JOIN processes c ON c.parent_process_id = sub.process_id
        WHERE sub.depth < ?)
      SELECT sub.depth, ${EXEC_NODE_COLUMNS} FROM sub
      CROSS JOIN processes pp ON pp.process_id = sub.process_id
      JOIN execs e ON e.exec_id = pp.last_exec_id
      ${EXEC_NODE_JOINS}
      ORDER BY sub.path LIMIT ?`,
    [processId, maxDepth, limit],
  );
  return rows.map((r) => {
    const node = execNodeFromArray(r, 1) as DescendantProcess;
    node.depth = Number(r[0]);
    return node;
  });
}
