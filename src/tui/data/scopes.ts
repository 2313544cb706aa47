import type BetterSqlite3 from 'better-sqlite3';
import type { ProcessRow, TreeScope } from './types.js';
import { str, type Raw } from './sql-values.js';
import { prepared } from '../../db/statement-cache.js';

export function hostScope(db: BetterSqlite3.Database, hostId: number): TreeScope {
  const r = prepared(db, 'SELECT hostname FROM hosts WHERE host_id = ?').get(hostId) as Raw | undefined;
  return { kind: 'host', hostId, label: `host ${r ? String(r.hostname) : hostId}` };
}

export function containerScope(db: BetterSqlite3.Database, containerId: string, hostId: number | null): TreeScope {
  const r = prepared(db, 'SELECT name, pod_name FROM containers WHERE container_id = ?').get(containerId) as Raw | undefined;
  const name = r ? (str(r.name) ?? str(r.pod_name)) : null;
  return { kind: 'container', containerId, hostId, label: `container ${name ? `${name} ` : ''}${containerId}` };
}

/** The scope a process is naturally shown in: its container's tree, or its host's. */
export function scopeOfProcess(db: BetterSqlite3.Database, row: ProcessRow): TreeScope {
  return row.containerId !== null ? containerScope(db, row.containerId, row.hostId) : hostScope(db, row.hostId);
}

/**
 * Where in a root-first process path the scope's tree begins: 0 for a host tree, the
 * container's entry point for a container tree; -1 when the process is not in the scope.
 */
export function scopeStartIndex(scope: TreeScope, path: ProcessRow[]): number {
  const last = path[path.length - 1];
  if (!last) return -1;
  if (scope.kind === 'host') return last.hostId === scope.hostId && path[0]?.parentProcessId === null ? 0 : -1;
  return path.findIndex((p) => p.containerId === scope.containerId);
}

/** The process an exec belongs to. */
export function processOfExec(db: BetterSqlite3.Database, execId: number): number | null {
  const r = prepared(db, 'SELECT process_id FROM execs WHERE exec_id = ?').get(execId) as Raw | undefined;
  return r ? Number(r.process_id) : null;
}
