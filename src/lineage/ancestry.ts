import type BetterSqlite3 from 'better-sqlite3';
import { EXEC_NODE_COLUMNS, EXEC_NODE_JOINS, execNodeFromArray, rawRows, type ExecNode } from './exec-node.js';

/** Guards against a damaged case with a cycle in parent_exec_id. */
export const MAX_LINEAGE_DEPTH = 4096;

export interface AncestorStep extends ExecNode {
  /** 0 = the exec itself, 1 = its parent's image, … */
  depth: number;
}

const ANCESTORS_SQL = `WITH RECURSIVE chain(exec_id, depth) AS (
    SELECT exec_id, 0 FROM execs WHERE exec_id = ?
    UNION ALL
    SELECT x.parent_exec_id, chain.depth + 1 FROM chain JOIN execs x ON x.exec_id = chain.exec_id
    WHERE x.parent_exec_id IS NOT NULL AND chain.depth < ${MAX_LINEAGE_DEPTH})
  SELECT chain.depth, ${EXEC_NODE_COLUMNS} FROM chain CROSS JOIN execs e ON e.exec_id = chain.exec_id
  ${EXEC_NODE_JOINS} ORDER BY chain.depth`;

/**
 * The chain from an exec up to the oldest known ancestor: one primary-key lookup per level
 * along parent_exec_id, each level the parent's image as it was when the child's image began.
 */
export function ancestorsOf(db: BetterSqlite3.Database, execId: number): AncestorStep[] {
  return rawRows(db, ANCESTORS_SQL, [execId]).map((r) => {
    const step = execNodeFromArray(r, 1) as AncestorStep;
    step.depth = Number(r[0]);
    return step;
  });
}

export function execById(db: BetterSqlite3.Database, execId: number): ExecNode | undefined {
  const [row] = rawRows(db, `SELECT ${EXEC_NODE_COLUMNS} FROM execs e ${EXEC_NODE_JOINS} WHERE e.exec_id = ?`, [execId]);
  return row ? execNodeFromArray(row) : undefined;
}
