import type BetterSqlite3 from 'better-sqlite3';
import { ancestorsOf } from '../../lineage/ancestry.js';
import { hasChainTables } from './chains-page.js';
import type { ExecDetail, ImageStep } from './types.js';
import { big, bool, num, str, type Raw } from './sql-values.js';
import { prepared } from '../../db/statement-cache.js';
import { EXEC_NODE_COLUMNS, EXEC_NODE_JOINS, execNodeFromArray, rawRows } from '../../lineage/exec-node.js';

const IMAGES_CAP = 50;
const ALERTS_CAP = 20;

/** Everything the detail pane shows for one exec, in a handful of primary-key and index lookups. */
export function loadExecDetail(db: BetterSqlite3.Database, execId: number): ExecDetail | undefined {
  // The detail-only columns come first so that the ExecNode columns start at a known index.
  const [r] = rawRows(
    db,
    `SELECT e.args, e.gid, e.loginuid, e.tty, e.env IS NOT NULL, c.image, c.pod_namespace, ${EXEC_NODE_COLUMNS}
      FROM execs e ${EXEC_NODE_JOINS} WHERE e.exec_id = ?`,
    [execId],
  );
  if (!r) return undefined;
  const node = execNodeFromArray(r, 7);
  const images = prepared(
    db,
    `SELECT exec_id, kind, ts_ns, name, cmdline, res FROM execs WHERE process_id = ?
      ORDER BY ts_ns, exec_id LIMIT ?`,
  ).all(node.processId, IMAGES_CAP + 1) as Raw[];
  const alerts = prepared(db, `SELECT rule, priority FROM alerts WHERE exec_id = ? ORDER BY time_ns LIMIT ?`).all(execId, ALERTS_CAP) as Raw[];
  const chainSteps = hasChainTables(db)
    ? (prepared(
        db,
        `SELECT c.chain, c.priority, s.step FROM chain_steps s JOIN chains c ON c.chain_match_id = s.chain_match_id
        WHERE s.exec_id = ? ORDER BY c.start_ns, s.step_index LIMIT ?`,
      ).all(execId, ALERTS_CAP) as Raw[])
    : [];
  return {
    ...node,
    args: str(r[0]),
    gid: num(r[1]),
    loginuid: num(r[2]),
    tty: num(r[3]),
    hasEnv: bool(r[4]),
    image: str(r[5]),
    podNamespace: str(r[6]),
    images: images.slice(0, IMAGES_CAP).map(imageStep),
    imagesMore: images.length > IMAGES_CAP,
    ancestry: ancestorsOf(db, execId).reverse(),
    alerts: alerts.map((a) => ({ rule: String(a.rule), priority: String(a.priority) })),
    chainSteps: chainSteps.map((c) => ({ chain: String(c.chain), priority: String(c.priority), step: String(c.step) })),
  };
}

function imageStep(i: Raw): ImageStep {
  return { execId: Number(i.exec_id), kind: String(i.kind), tsNs: big(i.ts_ns), name: str(i.name), cmdline: str(i.cmdline), res: num(i.res) };
}

/** The environment of an exec as KEY=VALUE items (stored NUL-joined); loaded only on demand. */
export function loadEnv(db: BetterSqlite3.Database, execId: number): string[] {
  const r = prepared(db, 'SELECT env FROM execs WHERE exec_id = ?').get(execId) as Raw | undefined;
  const env = r ? str(r.env) : null;
  return env === null ? [] : env.split('\0').filter((s) => s.length > 0);
}
