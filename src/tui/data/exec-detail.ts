import type BetterSqlite3 from 'better-sqlite3';
import { ancestorsOf } from '../../lineage/ancestry.js';
import { hasChainTables } from './chains-page.js';
import type { ExecDetail, ImageStep } from './types.js';
import { big, bool, num, str, type Raw } from './sql-values.js';
import { prepared } from '../../db/statement-cache.js';

const IMAGES_CAP = 50;
const ALERTS_CAP = 20;

/** Everything the detail pane shows for one exec, in a handful of primary-key and index lookups. */
export function loadExecDetail(db: BetterSqlite3.Database, execId: number): ExecDetail | undefined {
  const r = prepared(db, `SELECT e.exec_id, e.process_id, e.kind, h.hostname, e.pid, e.vpid, e.ppid, e.name, e.exe, e.exepath,
      e.args, e.cmdline, e.cwd, e.user_name, e.uid, e.gid, e.loginuid, e.tty, e.env IS NOT NULL AS has_env, e.res, e.ts_ns,
      p.start_ns, p.end_ns, p.exit_code, p.exit_signal, p.origin, e.container_id, c.name AS container_name, c.image,
      c.pod_name, c.pod_namespace
      FROM execs e JOIN processes p ON p.process_id = e.process_id JOIN hosts h ON h.host_id = e.host_id
      LEFT JOIN containers c ON c.container_id = e.container_id WHERE e.exec_id = ?`).get(execId) as Raw | undefined;
  if (!r) return undefined;
  const images = prepared(db, `SELECT exec_id, kind, ts_ns, name, cmdline, res FROM execs WHERE process_id = ?
      ORDER BY ts_ns, exec_id LIMIT ?`).all(r.process_id, IMAGES_CAP + 1) as Raw[];
  const alerts = prepared(db, `SELECT rule, priority FROM alerts WHERE exec_id = ? ORDER BY time_ns LIMIT ?`).all(execId, ALERTS_CAP) as Raw[];
  const chainSteps = hasChainTables(db)
    ? (prepared(db, `SELECT c.chain, c.priority, s.step FROM chain_steps s JOIN chains c ON c.chain_match_id = s.chain_match_id
        WHERE s.exec_id = ? ORDER BY c.start_ns, s.step_index LIMIT ?`).all(execId, ALERTS_CAP) as Raw[])
    : [];
  const ancestry = ancestorsOf(db, execId)
    .reverse()
    .map((a) => ({ execId: a.execId, processId: a.processId, pid: a.pid, name: a.name, cmdline: a.cmdline, containerId: a.containerId }));
  return {
    execId: Number(r.exec_id),
    processId: Number(r.process_id),
    kind: String(r.kind),
    hostname: String(r.hostname),
    pid: Number(r.pid),
    vpid: num(r.vpid),
    ppid: num(r.ppid),
    name: str(r.name),
    exe: str(r.exe),
    exepath: str(r.exepath),
    args: str(r.args),
    cmdline: str(r.cmdline),
    cwd: str(r.cwd),
    user: str(r.user_name),
    uid: num(r.uid),
    gid: num(r.gid),
    loginuid: num(r.loginuid),
    tty: num(r.tty),
    hasEnv: bool(r.has_env),
    res: num(r.res),
    tsNs: big(r.ts_ns),
    startNs: big(r.start_ns),
    endNs: big(r.end_ns),
    exitCode: num(r.exit_code),
    exitSignal: num(r.exit_signal),
    origin: String(r.origin),
    containerId: str(r.container_id),
    containerName: str(r.container_name),
    image: str(r.image),
    podName: str(r.pod_name),
    podNamespace: str(r.pod_namespace),
    images: images.slice(0, IMAGES_CAP).map(
      (i): ImageStep => ({ execId: Number(i.exec_id), kind: String(i.kind), tsNs: big(i.ts_ns), name: str(i.name), cmdline: str(i.cmdline), res: num(i.res) }),
    ),
    imagesMore: images.length > IMAGES_CAP,
    ancestry,
    alerts: alerts.map((a) => ({ rule: String(a.rule), priority: String(a.priority) })),
    chainSteps: chainSteps.map((c) => ({ chain: String(c.chain), priority: String(c.priority), step: String(c.step) })),
  };
}

/** The environment of an exec as KEY=VALUE items (stored NUL-joined); loaded only on demand. */
export function loadEnv(db: BetterSqlite3.Database, execId: number): string[] {
  const r = prepared(db, 'SELECT env FROM execs WHERE exec_id = ?').get(execId) as Raw | undefined;
  const env = r ? str(r.env) : null;
  return env === null ? [] : env.split('\0').filter((s) => s.length > 0);
}
