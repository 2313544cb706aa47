import type BetterSqlite3 from 'better-sqlite3';
import { isPostgresDb } from '../db/postgres/pg-case-db.js';
import { rememberedWalkBound } from './ancestry.js';
import { walkOnHost } from './host-guess.js';
import { EXEC_NODE_COLUMNS, EXEC_NODE_JOINS, execNodeFromArray, rawRows, type ExecNode } from './exec-node.js';
import { depthFirst } from './subtree-order.js';

export interface DescendantProcess extends ExecNode {
  /** 0 = the starting process, 1 = its children, … */
  depth: number;
}

/**
 * The walk: one row per process reached, [process_id, parent_id, depth]. CROSS JOIN pins it as
 * the outer loop: left to itself SQLite's planner scanned every process instead (2 s on 5M
 * processes). One host throughout: the walk stays inside one shard of a case distributed by host.
 */
const WALK_SQL = `WITH RECURSIVE sub(process_id, parent_id, depth) AS (
    SELECT process_id, CAST(NULL AS BIGINT), 0 FROM processes WHERE host_id = ? AND process_id = ?
    UNION ALL
    SELECT c.process_id, sub.process_id, sub.depth + 1
    FROM sub CROSS JOIN processes c INDEXED BY processes_parent ON c.host_id = ? AND c.parent_process_id = sub.process_id
    WHERE sub.depth < ?)
  SELECT process_id, parent_id, depth FROM sub`;

/**
 * PostgreSQL: the same walk, and in the same statement each process's last image
 * (EXEC_NODE_COLUMNS from the fourth column on), found from the last_exec_id the walk already
 * read: one round trip instead of two. The images are read only when every process walked fits
 * in the limit (an initplan evaluated once); a larger subtree comes back as bare edges and only
 * the first `limit` images are read afterwards, as on SQLite.
 */
const WALK_WITH_IMAGES_SQL = `WITH RECURSIVE sub(process_id, parent_id, last_exec_id, depth) AS (
    SELECT process_id, CAST(NULL AS BIGINT), last_exec_id, 0 FROM processes WHERE host_id = ? AND process_id = ?
    UNION ALL
    SELECT c.process_id, sub.process_id, c.last_exec_id, sub.depth + 1
    FROM sub JOIN processes c ON c.host_id = ? AND c.parent_process_id = sub.process_id
    WHERE sub.depth < ?)
  SELECT sub.process_id, sub.parent_id, sub.depth, image.* FROM sub LEFT JOIN LATERAL (
    SELECT ${EXEC_NODE_COLUMNS} FROM execs e ${EXEC_NODE_JOINS}
    WHERE e.host_id = ? AND e.exec_id = sub.last_exec_id AND p.host_id = ? AND sub.depth <= ?
      AND (SELECT count(*) FROM sub) <= ?) image ON true`;

/** Where EXEC_NODE_COLUMNS start in a WALK_WITH_IMAGES_SQL row. */
const IMAGE_AT = 3;

/**
 * The process subtree under a process (the processes it created, theirs, …), each with its last
 * image, in depth-first order (siblings by process id), at any depth. SQL walks
 * processes.parent_process_id through its index and returns only ids; the depth-first order is
 * made here with an explicit stack (no recursion, no per-row path string: both grew with the
 * depth), and only the first `limit` rows are then read in full.
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
  const withImages = isPostgresDb(db);
  const imagesUpTo = Number.isFinite(limit) ? limit : Number.MAX_SAFE_INTEGER;
  const walk = (host: unknown, walkDepth: number) =>
    withImages
      ? rawRows(db, WALK_WITH_IMAGES_SQL, [host, processId, host, walkDepth, host, host, options.maxDepth ?? walkDepth, imagesUpTo])
      : rawRows(db, WALK_SQL, [host, processId, host, walkDepth]);
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
  const images = withImages && edges.length <= imagesUpTo ? imagesFromWalk(shown) : imagesById(db, host, order, withImages);
  const out: DescendantProcess[] = [];
  for (const { id, depth } of order) {
    const image = images.get(id);
    if (!image) continue;
    const node = execNodeFromArray(image.row, image.at) as DescendantProcess;
    node.depth = depth;
    out.push(node);
  }
  return { rows: out, deeper };
}

type Images = Map<number, { row: unknown[]; at: number }>;

/** The images WALK_WITH_IMAGES_SQL returned with the walk (a process without one has NULLs there). */
function imagesFromWalk(rows: unknown[][]): Images {
  const images: Images = new Map();
  for (const r of rows) if (r[IMAGE_AT] !== null) images.set(Number(r[0]), { row: r, at: IMAGE_AT });
  return images;
}

/**
 * The last image of each process in `order`, read by id. On PostgreSQL the ids come as an array
 * and each is looked up through a lateral join, so the images are always read by primary key:
 * joined to a list of ids, the planner hashed every process of the host instead whenever it
 * expected many ids (28 ms at 100k processes for 700 ids, growing with the case).
 */
function imagesById(db: BetterSqlite3.Database, host: unknown, order: readonly { id: number }[], postgres: boolean): Images {
  const ids = order.map((o) => o.id);
  const rows = postgres
    ? rawRows(
        db,
        `SELECT image.* FROM unnest(CAST(? AS BIGINT[])) AS ids(value) CROSS JOIN LATERAL (
          SELECT pp.process_id, ${EXEC_NODE_COLUMNS} FROM processes pp
          JOIN execs e ON e.host_id = ? AND e.exec_id = pp.last_exec_id
          ${EXEC_NODE_JOINS} WHERE pp.host_id = ? AND pp.process_id = ids.value AND p.host_id = ?) image`,
        [ids, host, host, host],
      )
    : rawRows(
        db,
        `SELECT pp.process_id, ${EXEC_NODE_COLUMNS} FROM json_each(?) ids
          CROSS JOIN processes pp ON pp.host_id = ? AND pp.process_id = ids.value
          JOIN execs e ON e.host_id = ? AND e.exec_id = pp.last_exec_id
          ${EXEC_NODE_JOINS} WHERE p.host_id = ?`,
        [JSON.stringify(ids), host, host, host],
      );
  return new Map(rows.map((r) => [Number(r[0]), { row: r, at: 1 }]));
}
