import { hasTable } from '../../db/has-table.js';
import type BetterSqlite3 from 'better-sqlite3';
import { prepared } from '../../db/statement-cache.js';
import { execById } from '../../lineage/ancestry.js';
import type { ExecNode } from '../../lineage/exec-node.js';
import { PRIORITIES, parsePriority, severityRank } from '../../rules/priority.js';
import { DEFAULTS, type ReportOptions } from '../report-options.js';
import { findingConditions } from './finding-filter.js';

export interface FindingStep {
  step: string;
  execId: number;
  tsNs: bigint;
  /** The earlier step this one is related to, and how (descendant_of, same_container, …). */
  linkedStep: string | null;
  relation: string | null;
  exec: ExecNode | null;
}

export interface Finding {
  kind: 'chain' | 'alert';
  /** chain_match_id or alert_id. */
  id: number;
  name: string;
  priority: string;
  timeNs: bigint | null;
  hostname: string | null;
  containerId: string | null;
  output: string;
  steps: FindingStep[];
}

/** All findings of one chain or rule at one priority; only the first `drawn` are loaded. */
export interface FindingGroup {
  kind: 'chain' | 'alert';
  name: string;
  priority: string;
  count: number;
  firstNs: bigint | null;
  lastNs: bigint | null;
  drawn: Finding[];
}

const rank = (p: string): number => {
  const parsed = parsePriority(p);
  return parsed ? severityRank(parsed) : PRIORITIES.length;
};

const toBig = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as bigint));

/** Where the report's filters apply in a query over chains (alias `m`). */
const CHAIN_COLUMNS = {
  first: 'm.start_ns',
  last: 'm.end_ns',
  hostId: 'm.host_id',
  containerId: 'm.container_id',
  priority: 'm.priority',
  matchId: 'm.chain_match_id',
};

/** Where the report's filters apply in a query over alerts (alias `a`) joined to their exec (`e`). */
const ALERT_COLUMNS = {
  first: 'a.time_ns',
  last: 'a.time_ns',
  hostId: 'e.host_id',
  containerId: 'e.container_id',
  priority: 'a.priority',
};

/** Groups from rows of (name, priority, n, first_ns, last_ns); their findings are drawn later. */
function toGroups(kind: FindingGroup['kind'], rows: Record<string, unknown>[]): FindingGroup[] {
  return rows.map((r) => ({
    kind,
    name: String(r.name),
    priority: String(r.priority),
    count: Number(r.n),
    firstNs: toBig(r.first_ns),
    lastNs: toBig(r.last_ns),
    drawn: [],
  }));
}

function chainGroups(db: BetterSqlite3.Database, options: ReportOptions): FindingGroup[] {
  if (!hasTable(db, 'chains')) return [];
  const cond = findingConditions(options, CHAIN_COLUMNS);
  const rows = prepared(
    db,
    `SELECT m.chain AS name, m.priority, count(*) AS n, min(m.end_ns) AS first_ns, max(m.end_ns) AS last_ns FROM chains m
      WHERE ${cond.sql} GROUP BY m.chain, m.priority`,
  ).all(...cond.params) as Record<string, unknown>[];
  return toGroups('chain', rows);
}

function alertGroups(db: BetterSqlite3.Database, options: ReportOptions): FindingGroup[] {
  const cond = findingConditions(options, ALERT_COLUMNS);
  const rows = prepared(
    db,
    `SELECT a.rule AS name, a.priority, count(*) AS n, min(a.time_ns) AS first_ns, max(a.time_ns) AS last_ns
      FROM alerts a LEFT JOIN execs e ON e.exec_id = a.exec_id WHERE ${cond.sql} GROUP BY a.rule, a.priority`,
  ).all(...cond.params) as Record<string, unknown>[];
  return toGroups('alert', rows);
}

function loadChainFindings(db: BetterSqlite3.Database, group: FindingGroup, options: ReportOptions, limit: number): Finding[] {
  const cond = findingConditions(options, CHAIN_COLUMNS);
  const matches = prepared(
    db,
    `SELECT m.chain_match_id, m.end_ns, m.container_id, m.output, h.hostname FROM chains m
      LEFT JOIN hosts h ON h.host_id = m.host_id
      WHERE m.chain = ? AND m.priority = ? AND ${cond.sql} ORDER BY m.end_ns, m.chain_match_id LIMIT ?`,
  ).all(group.name, group.priority, ...cond.params, limit) as Record<string, unknown>[];
  const stepsSql = prepared(
    db,
    `SELECT s.step_index, s.step, s.exec_id, s.ts_ns, s.relation, l.step AS linked
      FROM chain_steps s LEFT JOIN chain_steps l ON l.chain_match_id = s.chain_match_id AND l.step_index = s.linked_step
      WHERE s.chain_match_id = ? ORDER BY s.step_index`,
  );
  return matches.map((m) => {
    const steps = (stepsSql.all(m.chain_match_id) as Record<string, unknown>[]).map((s) => ({
      step: String(s.step),
      execId: Number(s.exec_id),
      tsNs: BigInt(s.ts_ns as bigint),
      linkedStep: s.linked === null ? null : String(s.linked),
      relation: s.relation === null ? null : String(s.relation),
      exec: execById(db, Number(s.exec_id)) ?? null,
    }));
    return {
      kind: 'chain',
      id: Number(m.chain_match_id),
      name: group.name,
      priority: group.priority,
      timeNs: toBig(m.end_ns),
      hostname: m.hostname === null ? null : String(m.hostname),
      containerId: m.container_id === null ? null : String(m.container_id),
      output: String(m.output),
      steps,
    };
  });
}

function loadAlertFindings(db: BetterSqlite3.Database, group: FindingGroup, options: ReportOptions, limit: number): Finding[] {
  const cond = findingConditions(options, ALERT_COLUMNS);
  const rows = prepared(
    db,
    `SELECT a.alert_id, a.exec_id, a.time_ns, a.output FROM alerts a LEFT JOIN execs e ON e.exec_id = a.exec_id
      WHERE a.rule = ? AND a.priority = ? AND ${cond.sql} ORDER BY a.time_ns, a.alert_id LIMIT ?`,
  ).all(group.name, group.priority, ...cond.params, limit) as Record<string, unknown>[];
  return rows.map((r) => {
    const exec = r.exec_id === null ? null : (execById(db, Number(r.exec_id)) ?? null);
    return {
      kind: 'alert',
      id: Number(r.alert_id),
      name: group.name,
      priority: group.priority,
      timeNs: toBig(r.time_ns),
      hostname: exec?.host ?? null,
      containerId: exec?.containerId ?? null,
      output: String(r.output),
      steps: exec ? [{ step: 'alert', execId: exec.execId, tsNs: toBig(r.time_ns) ?? exec.tsNs ?? 0n, linkedStep: null, relation: null, exec }] : [],
    };
  });
}

/**
 * Every chain match and alert the filters let through, grouped by chain or rule, most severe
 * first and then by time; the first findings of each group are loaded in full until
 * `maxFindings` are drawn over all groups. Counts are always complete.
 */
export function loadFindings(db: BetterSqlite3.Database, options: ReportOptions): FindingGroup[] {
  const groups = [...chainGroups(db, options), ...alertGroups(db, options)].sort(
    (a, b) => rank(a.priority) - rank(b.priority) || Number((a.firstNs ?? 0n) - (b.firstNs ?? 0n)) || a.name.localeCompare(b.name),
  );
  let budget = options.maxFindings ?? DEFAULTS.maxFindings;
  const perGroup = options.drawnPerGroup ?? DEFAULTS.drawnPerGroup;
  for (const g of groups) {
    const limit = Math.min(perGroup, budget);
    if (limit <= 0) continue;
    g.drawn = g.kind === 'chain' ? loadChainFindings(db, g, options, limit) : loadAlertFindings(db, g, options, limit);
    budget -= g.drawn.length;
  }
  return groups;
}
