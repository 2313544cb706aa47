import type BetterSqlite3 from 'better-sqlite3';
import { prepared } from '../../db/statement-cache.js';
import type { ReportOptions } from '../report-options.js';

export interface Lane {
  /** `hostname` or `hostname/container_id`. */
  key: string;
  hostname: string;
  containerId: string | null;
  label: string;
  execs: number;
  /** bin index → execs started in that bin. */
  bins: Map<number, number>;
}

export interface ExecHistogram {
  startNs: bigint;
  endNs: bigint;
  binNs: bigint;
  binCount: number;
  lanes: Lane[];
  /** Lanes beyond the cap, and the execs in them: said on the picture, not dropped silently. */
  lanesNotDrawn: number;
  execsNotDrawn: number;
}

/** Lanes drawn in one timeline; the busiest are kept. */
const MAX_LANES = 24;

export const laneKey = (hostname: string, containerId: string | null): string => (containerId ? `${hostname}/${containerId}` : hostname);

/**
 * Execs per lane (host, or container on a host) and per time bin between start and end: one
 * grouped scan, so the picture costs the same for a thousand execs or a million.
 */
export function execHistogram(db: BetterSqlite3.Database, window: { startNs: bigint; endNs: bigint }, binCount: number, options: ReportOptions): ExecHistogram {
  const span = window.endNs > window.startNs ? window.endNs - window.startNs : 1n;
  const binNs = (span + BigInt(binCount) - 1n) / BigInt(binCount) || 1n;
  const where = ["e.kind = 'exec'", 'e.ts_ns >= ?', 'e.ts_ns <= ?'];
  const params: unknown[] = [window.startNs, binNs, window.startNs, window.endNs];
  if (options.host !== undefined) {
    where.push('e.host_id = (SELECT host_id FROM hosts WHERE hostname = ?)');
    params.push(options.host);
  }
  if (options.container === 'host') where.push('e.container_id IS NULL');
  else if (options.container !== undefined) {
    where.push('e.container_id = ?');
    params.push(options.container);
  }
  const rows = prepared(db, `SELECT g.host_id, g.container_id, g.bin, g.n, h.hostname, c.name, c.pod_name FROM
      (SELECT e.host_id, e.container_id, (e.ts_ns - ?) / ? AS bin, count(*) AS n FROM execs e WHERE ${where.join(' AND ')}
       GROUP BY e.host_id, e.container_id, bin) g
      JOIN hosts h ON h.host_id = g.host_id LEFT JOIN containers c ON c.container_id = g.container_id`)
    .raw(true)
    .all(...params) as unknown[][];
  const lanes = new Map<string, Lane>();
  for (const [, containerId, bin, n, hostname, name, pod] of rows) {
    const cid = containerId === null ? null : String(containerId);
    const key = laneKey(String(hostname), cid);
    let lane = lanes.get(key);
    if (!lane) {
      const label = cid === null ? `${hostname} (host)` : `${hostname} · ${pod ? `${pod}/` : ''}${name ?? cid}`;
      lane = { key, hostname: String(hostname), containerId: cid, label, execs: 0, bins: new Map() };
      lanes.set(key, lane);
    }
    const b = Math.min(Number(bin), binCount - 1);
    lane.bins.set(b, (lane.bins.get(b) ?? 0) + Number(n));
    lane.execs += Number(n);
  }
  const all = [...lanes.values()].sort((a, b) => b.execs - a.execs);
  const kept = all.slice(0, MAX_LANES).sort((a, b) => a.hostname.localeCompare(b.hostname) || (a.containerId ?? '').localeCompare(b.containerId ?? ''));
  const dropped = all.slice(MAX_LANES);
  return {
    startNs: window.startNs,
    endNs: window.endNs,
    binNs,
    binCount,
    lanes: kept,
    lanesNotDrawn: dropped.length,
    execsNotDrawn: dropped.reduce((n, l) => n + l.execs, 0),
  };
}
