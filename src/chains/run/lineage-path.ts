import type { Db } from '../../db/open.js';
import type { ChainRelation, ChainRelationKind } from '../../rules/loader/definitions.js';
import type { PathExec } from './chain-match.js';

interface ExecLink {
  exec_id: bigint;
  host_id: bigint;
  container_id: string | null;
  prev_exec_id: bigint | null;
  parent_exec_id: bigint | null;
  pid: bigint | null;
  name: string | null;
  cmdline: string | null;
}

/** The relation a step's path is drawn along: lineage first, then process, container, host. */
const PATH_PREFERENCE: readonly ChainRelationKind[] = ['descendant_of', 'same_process', 'same_container', 'same_host'];

export function pathRelation(relations: ChainRelation[]): ChainRelation | null {
  for (const kind of PATH_PREFERENCE) {
    const r = relations.find((x) => x.kind === kind);
    if (r) return r;
  }
  return null;
}

/** Reads exec rows by key for lineage paths, walking as the chain compiler walks. */
export class LineagePaths {
  private readonly byId;
  /** Matches share execs (a shell with many children): rows read once per run. */
  private readonly cache = new Map<bigint, ExecLink | undefined>();

  constructor(db: Db) {
    this.byId = db
      .prepare('SELECT exec_id, host_id, container_id, prev_exec_id, parent_exec_id, pid, name, cmdline FROM execs WHERE exec_id = ?')
      .safeIntegers(true);
  }

  exec(execId: bigint): ExecLink | undefined {
    if (this.cache.has(execId)) return this.cache.get(execId);
    const row = this.byId.get(execId) as ExecLink | undefined;
    if (this.cache.size >= 100_000) this.cache.clear();
    this.cache.set(execId, row);
    return row;
  }

  /**
   * The execs from `from` down to `to`, inclusive. Along descendant_of the walk goes up from `to`
   * through previous images and parent images; along same_process through previous images only.
   * Other relations (and a walk that does not arrive) give just the two ends.
   */
  path(from: bigint, to: bigint, kind: ChainRelationKind): PathExec[] {
    const ends = [from, to].map((id) => this.label(id));
    if (kind !== 'descendant_of' && kind !== 'same_process') return ends;
    const up: PathExec[] = [];
    let cur = this.exec(to);
    const seen = new Set<bigint>();
    while (cur && !seen.has(cur.exec_id)) {
      seen.add(cur.exec_id);
      up.push({ execId: cur.exec_id, pid: cur.pid, name: cur.name });
      if (cur.exec_id === from) return up.reverse();
      const next = kind === 'descendant_of' ? (cur.prev_exec_id ?? cur.parent_exec_id) : cur.prev_exec_id;
      cur = next === null ? undefined : this.exec(next);
    }
    return ends;
  }

  /** The first step's path: the parent process's image when it began, then itself. */
  fromParent(execId: bigint): PathExec[] {
    const e = this.exec(execId);
    const parent = e?.parent_exec_id ?? null;
    return parent === null ? [this.label(execId)] : [this.label(parent), this.label(execId)];
  }

  private label(execId: bigint): PathExec {
    const e = this.exec(execId);
    return { execId, pid: e?.pid ?? null, name: e?.name ?? null };
  }
}
