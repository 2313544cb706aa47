import type BetterSqlite3 from 'better-sqlite3';
import { walkOnHost } from './host-guess.js';
import { EXEC_NODE_COLUMNS, EXEC_NODE_JOINS, execNodeFromArray, rawRows, type ExecNode } from './exec-node.js';

export interface AncestorStep extends ExecNode {
  /** 0 = the exec itself, 1 = its parent's image, … */
  depth: number;
}

/**
 * How many steps a lineage walk may take: a chain of distinct rows can be no longer than the
 * largest id, so only a damaged case with a cycle ever reaches it. No smaller bound: an attacker
 * who nests deep enough must not hide the root.
 */
export function walkBound(db: BetterSqlite3.Database, table: 'exec_rows' | 'processes', idColumn: string): number {
  const row = db.prepare(`SELECT max(${idColumn}) AS n FROM ${table}`).get() as { n: bigint | number | null };
  return Number(row.n ?? 0) + 1;
}

const knownBounds = new WeakMap<BetterSqlite3.Database, Map<string, number>>();

/**
 * walkBound, read once per connection: one statement less per lineage query (on PostgreSQL
 * each statement is a round trip). A walk that reaches the bound may have been cut short by
 * rows imported since it was read, so it calls again with `fresh` and walks again if the bound
 * grew: the answer is never cut.
 */
export function rememberedWalkBound(db: BetterSqlite3.Database, table: 'exec_rows' | 'processes', idColumn: string, fresh = false): number {
  let memo = knownBounds.get(db);
  if (!memo) {
    memo = new Map();
    knownBounds.set(db, memo);
  }
  const key = `${table}.${idColumn}`;
  const known = memo.get(key);
  if (known !== undefined && !fresh) return known;
  const bound = walkBound(db, table, idColumn);
  memo.set(key, bound);
  return bound;
}

/**
 * Every lineage query names one host: pids and lineage never cross hosts, and on a case
 * distributed by host_id (Citus) a recursive query runs only inside one shard.
 */
const ANCESTORS_SQL = `WITH RECURSIVE chain(exec_id, depth) AS (
    SELECT exec_id, 0 FROM exec_rows WHERE host_id = ? AND exec_id = ?
    UNION ALL
    SELECT x.parent_exec_id, chain.depth + 1 FROM chain JOIN exec_rows x ON x.host_id = ? AND x.exec_id = chain.exec_id
    WHERE x.parent_exec_id IS NOT NULL AND chain.depth < ?)
  SELECT chain.depth, ${EXEC_NODE_COLUMNS} FROM chain CROSS JOIN execs e ON e.host_id = ? AND e.exec_id = chain.exec_id
  ${EXEC_NODE_JOINS} WHERE p.host_id = ? ORDER BY chain.depth`;

/**
 * The chain from an exec up to the oldest known ancestor, at any depth: one primary-key lookup
 * per level along parent_exec_id, each level the parent's image as it was when the child's
 * image began.
 */
export function ancestorsOf(db: BetterSqlite3.Database, execId: number): AncestorStep[] {
  const { rows } = walkOnHost(db, 'exec_rows', 'exec_id', execId, (host) => {
    const walk = (bound: number) => rawRows(db, ANCESTORS_SQL, [host, execId, host, bound, host, host]);
    const bound = rememberedWalkBound(db, 'exec_rows', 'exec_id');
    const found = walk(bound);
    if (Number(found[found.length - 1]?.[0] ?? 0) < bound) return found;
    const fresh = rememberedWalkBound(db, 'exec_rows', 'exec_id', true);
    return fresh > bound ? walk(fresh) : found;
  });
  return rows.map((r) => {
    const step = execNodeFromArray(r, 1) as AncestorStep;
    step.depth = Number(r[0]);
    return step;
  });
}

export function execById(db: BetterSqlite3.Database, execId: number): ExecNode | undefined {
  const [row] = rawRows(db, `SELECT ${EXEC_NODE_COLUMNS} FROM execs e ${EXEC_NODE_JOINS} WHERE e.exec_id = ?`, [execId]);
  return row ? execNodeFromArray(row) : undefined;
}
