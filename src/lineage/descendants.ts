import type BetterSqlite3 from 'better-sqlite3';
import { rememberedWalkBound } from './ancestry.js';
import { walkOnHost } from './host-guess.js';
import { EXEC_NODE_COLUMNS, EXEC_NODE_JOINS, execNodeFromArray, rawRows, type ExecNode } from './exec-node.js';

export interface DescendantProcess extends ExecNode {
  /** 0 = the starting process, 1 = its children, … */
  depth: number;
}

/**
 * The process subtree under a process (the processes it created, theirs, …), each with its last
 * image, in depth-first order (siblings by process id), at any depth. SQL walks
 * processes.parent_process_id through its index and returns only ids; the depth-first order is
 * made here with an explicit stack (no recursion, no per-row path string: both grew with the
 * depth), and only the first `limit` rows are then read in full. CROSS JOIN pins the walk as the
 * outer loop: left to itself the planner scanned every process instead (2 s on 5M processes).
 */
export function descendantsOf(db: BetterSqlite3.Database, processId: number, options: { maxDepth?: number; limit?: number } = {}): DescendantProcess[] {
  return descendantsWithin(db, processId, options).rows;
}

/**
 * As descendantsOf, and whether `maxDepth` cut the subtree: `deeper` when a process lies below
 * it (the walk goes one level further to know, and that level is not returned).
 */
export function descendantsWithin(
  db: BetterSqlite3.Database,
  processId: number,
  options: { maxDepth?: number; limit?: number } = {},
): { rows: DescendantProcess[]; deeper: boolean } {
  const limit = options.limit === undefined || options.limit < 0 ? Number.POSITIVE_INFINITY : options.limit;
  // One host throughout: the walk stays inside one shard of a case distributed by host.
  const walk = (host: unknown, maxDepth: number) =>
    rawRows(
      db,
      `WITH RECURSIVE sub(process_id, parent_id, depth) AS (
        SELECT process_id, CAST(NULL AS BIGINT), 0 FROM processes WHERE host_id = ? AND process_id = ?
        UNION ALL
        SELECT c.process_id, sub.process_id, sub.depth + 1
        FROM sub CROSS JOIN processes c INDEXED BY processes_parent ON c.host_id = ? AND c.parent_process_id = sub.process_id
        WHERE sub.depth < ?)
      SELECT process_id, parent_id, depth FROM sub`,
      [host, processId, host, maxDepth],
    );
  const { host, rows: edges } = walkOnHost(db, 'processes', 'process_id', processId, (h) => {
    if (options.maxDepth !== undefined) return walk(h, options.maxDepth + 1);
    const bound = rememberedWalkBound(db, 'processes', 'process_id');
    const found = walk(h, bound);
    if (!found.some((e) => Number(e[2]) >= bound)) return found;
    const fresh = rememberedWalkBound(db, 'processes', 'process_id', true);
    return fresh > bound ? walk(h, fresh) : found;
  });
  const maxDepth = options.maxDepth;
  const deeper = maxDepth !== undefined && edges.some((e) => Number(e[2]) > maxDepth);
  const shown = deeper ? edges.filter((e) => Number(e[2]) <= (maxDepth as number)) : edges;
  const order = depthFirst(processId, shown, limit);
  if (order.length === 0) return { rows: [], deeper };
  const rows = rawRows(
    db,
    `SELECT pp.process_id, ${EXEC_NODE_COLUMNS} FROM json_each(?) ids
      CROSS JOIN processes pp ON pp.host_id = ? AND pp.process_id = ids.value
      JOIN execs e ON e.host_id = ? AND e.exec_id = pp.last_exec_id
      ${EXEC_NODE_JOINS} WHERE p.host_id = ?`,
    [JSON.stringify(order.map((o) => o.id)), host, host, host],
  );
  const byId = new Map(rows.map((r) => [Number(r[0]), r]));
  const out: DescendantProcess[] = [];
  for (const { id, depth } of order) {
    const r = byId.get(id);
    if (!r) continue;
    const node = execNodeFromArray(r, 1) as DescendantProcess;
    node.depth = depth;
    out.push(node);
  }
  return { rows: out, deeper };
}

/** Pre-order over the walked edges, each process once (a damaged case may hold a cycle). */
function depthFirst(rootId: number, edges: unknown[][], limit: number): { id: number; depth: number }[] {
  const children = new Map<number, number[]>();
  let rootSeen = false;
  for (const [id, parent] of edges) {
    if (parent === null) {
      rootSeen = true;
      continue;
    }
    const p = Number(parent);
    const list = children.get(p);
    if (list) list.push(Number(id));
    else children.set(p, [Number(id)]);
  }
  if (!rootSeen) return [];
  const out: { id: number; depth: number }[] = [];
  const visited = new Set<number>();
  const stack: { id: number; depth: number }[] = [{ id: rootId, depth: 0 }];
  while (stack.length > 0 && out.length < limit) {
    const top = stack.pop() as { id: number; depth: number };
    if (visited.has(top.id)) continue;
    visited.add(top.id);
    out.push(top);
    const kids = children.get(top.id);
    if (!kids) continue;
    const unique = [...new Set(kids)].sort((a, b) => b - a); // pushed last-first: popped in id order
    for (const k of unique) stack.push({ id: k, depth: top.depth + 1 });
  }
  return out;
}
