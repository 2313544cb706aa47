import type BetterSqlite3 from 'better-sqlite3';
import { EXEC_NODE_COLUMNS, EXEC_NODE_JOINS, execNodeFromRow, type ExecNode } from './exec-node.js';

/** Guards against a damaged case with a cycle in parent_exec_id. */
export const MAX_LINEAGE_DEPTH = 4096;

export interface AncestorStep extends ExecNode {
  /** 0 = the exec itself, 1 = its parent's image, … */
  depth: number;
}

const statements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/**
 * The chain from an exec up to the oldest known ancestor: one primary-key lookup per level
 * along parent_exec_id, each level the parent's image as it was when the child's image began.
 */
export function ancestorsOf(db: BetterSqlite3.Database, execId: number): AncestorStep[] {
  let stmt = statements.get(db);
  if (!stmt) {
    stmt = db.prepare(`WITH RECURSIVE chain(exec_id, depth) AS (
        SELECT exec_id, 0 FROM execs WHERE exec_id = ?
        UNION ALL
        SELECT x.parent_exec_id, chain.depth + 1 FROM chain JOIN execs x ON x.exec_id = chain.exec_id
        WHERE x.parent_exec_id IS NOT NULL AND chain.depth < ${MAX_LINEAGE_DEPTH})
      SELECT chain.depth, ${EXEC_NODE_COLUMNS} FROM chain CROSS JOIN execs e ON e.exec_id = chain.exec_id
      ${EXEC_NODE_JOINS} ORDER BY chain.depth`);
    statements.set(db, stmt);
  }
  return (stmt.all(execId) as Record<string, unknown>[]).map((r) => ({ ...execNodeFromRow(r), depth: Number(r.depth) }));
}

export function execById(db: BetterSqlite3.Database, execId: number): ExecNode | undefined {
  const row = db.prepare(`SELECT ${EXEC_NODE_COLUMNS} FROM execs e ${EXEC_NODE_JOINS} WHERE e.exec_id = ?`).get(execId) as
    | Record<string, unknown>
    | undefined;
  return row ? execNodeFromRow(row) : undefined;
}
