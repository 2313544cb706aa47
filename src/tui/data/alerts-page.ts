import type BetterSqlite3 from 'better-sqlite3';
import type { AlertRow, Page } from './types.js';
import { priorityRankSql } from './priority.js';
import { big, likePattern, num, str, type Raw } from './sql-values.js';
import { prepared } from '../../db/statement-cache.js';

export interface AlertFilter {
  /** Substring of the rule, output or priority (case-insensitive); empty = all. */
  text: string;
  /** Only alerts at least this severe (0 = Emergency … 7 = Debug, 8 = all). */
  maxRank: number;
}

/**
 * A page of alerts, most severe first, then by time. The sort runs over the alerts table
 * (rule hits, not events), so its cost grows with the number of alerts, not of processes.
 */
export function loadAlertsPage(db: BetterSqlite3.Database, filter: AlertFilter, offset: number, limit: number): Page<AlertRow> {
  const rank = priorityRankSql('a.priority');
  // Sort and page the alerts alone, then join the page's execs: joining every alert first
  // would touch one random execs page per alert.
  const rows = prepared(
    db,
    `SELECT a.alert_id, a.exec_id, a.rule, a.priority, a.time_ns, a.output, e.pid, e.name, e.container_id
      FROM (SELECT alert_id, exec_id, rule, priority, time_ns, output, ${rank} AS rank FROM alerts a
            WHERE ${rank} <= ? AND (? = '' OR a.rule LIKE ? ESCAPE '\\' OR a.output LIKE ? ESCAPE '\\' OR a.priority LIKE ? ESCAPE '\\')
            ORDER BY rank, a.time_ns, a.alert_id LIMIT ? OFFSET ?) a
      LEFT JOIN execs e ON e.exec_id = a.exec_id
      ORDER BY a.rank, a.time_ns, a.alert_id`,
  ).all(filter.maxRank, filter.text, likePattern(filter.text), likePattern(filter.text), likePattern(filter.text), limit + 1, offset) as Raw[];
  return {
    items: rows.slice(0, limit).map((r) => ({
      alertId: Number(r.alert_id),
      execId: num(r.exec_id),
      rule: String(r.rule),
      priority: String(r.priority),
      timeNs: big(r.time_ns),
      output: String(r.output),
      pid: num(r.pid),
      name: str(r.name),
      containerId: str(r.container_id),
    })),
    moreBefore: offset > 0,
    moreAfter: rows.length > limit,
  };
}
