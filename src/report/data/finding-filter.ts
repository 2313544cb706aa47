import type BetterSqlite3 from 'better-sqlite3';
import { prepared } from '../../db/statement-cache.js';
import { PRIORITIES, atLeast, parsePriority } from '../../rules/priority.js';
import { PedigreeError } from '../../util/errors.js';
import type { ReportOptions } from '../report-options.js';

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/** The priorities a --min-priority lets through (all when absent). */
function priorityNames(min: string | undefined): string[] {
  if (min === undefined) return [...PRIORITIES];
  const p = parsePriority(min);
  if (!p) throw new PedigreeError('USAGE', `unknown priority '${min}': expected one of ${PRIORITIES.join(', ')}`);
  return PRIORITIES.filter((x) => atLeast(x, p));
}

/**
 * The WHERE conditions a report's filters put on a findings table. `time` is the column (or
 * pair: first and last step) that must fall in the window, `host`/`container` the columns
 * naming where it ran. Every value is a bound parameter.
 */
export function findingConditions(
  options: ReportOptions,
  columns: { first: string; last: string; hostId: string; containerId: string; priority: string; matchId?: string },
): SqlCondition {
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.chainMatchId !== undefined) {
    // One chain match: the other chain matches and every alert are left out.
    where.push(columns.matchId !== undefined ? `${columns.matchId} = ?` : '1 = 0');
    if (columns.matchId !== undefined) params.push(options.chainMatchId);
  }
  if (options.sinceNs !== undefined) {
    where.push(`${columns.last} >= ?`);
    params.push(options.sinceNs);
  }
  if (options.untilNs !== undefined) {
    where.push(`${columns.first} < ?`);
    params.push(options.untilNs);
  }
  if (options.host !== undefined) {
    where.push(`${columns.hostId} = (SELECT host_id FROM hosts WHERE hostname = ?)`);
    params.push(options.host);
  }
  if (options.container === 'host') where.push(`${columns.containerId} IS NULL`);
  else if (options.container !== undefined) {
    where.push(`${columns.containerId} = ?`);
    params.push(options.container);
  }
  if (options.minPriority !== undefined) {
    const names = priorityNames(options.minPriority);
    where.push(`lower(${columns.priority}) IN (${names.map(() => '?').join(', ')})`);
    params.push(...names.map((n) => n.toLowerCase()));
  }
  return { sql: where.length > 0 ? where.join(' AND ') : '1 = 1', params };
}

/** A --host or --container that names nothing in the case is a mistake to say, not an empty report. */
export function checkScope(db: BetterSqlite3.Database, options: ReportOptions): void {
  if (options.host !== undefined && prepared(db, 'SELECT 1 FROM hosts WHERE hostname = ?').get(options.host) === undefined) {
    throw new PedigreeError('USAGE', `no host named '${options.host}' in the case (see pedigree captures)`);
  }
  if (
    options.container !== undefined &&
    options.container !== 'host' &&
    prepared(db, 'SELECT 1 FROM containers WHERE container_id = ?').get(options.container) === undefined
  ) {
    throw new PedigreeError('USAGE', `no container with id '${options.container}' in the case (see pedigree containers; 'host' means outside any container)`);
  }
}
