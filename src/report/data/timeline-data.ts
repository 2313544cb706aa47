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

type Window = { startNs: bigint; endNs: bigint };

const binWidth = (w: Window, binCount: number): bigint => {
  const span = w.endNs > w.startNs ? w.endNs - w.startNs : 1n;
  return (span + BigInt(binCount) - 1n) / BigInt(binCount) || 1n;
};

/**
 * Execs per lane (host, or container on a host) and per time bin, for a main window and the
 * zoomed windows inside it, from ONE grouped scan of the execs (each zoom adds a bin column,
 * NULL outside its window): the pictures cost the same for a thousand execs or a million.
 */
export function execHistograms(db: BetterSqlite3.Database, windows: readonly Window[], binCount: number, options: ReportOptions): ExecHistogram[] {
  const main = windows[0];
  if (!main) return [];
  const widths = windows.map((w) => binWidth(w, binCount));
  const binColumns: string[] = [];
  const params: unknown[] = [];
  windows.forEach((w, i) => {
    if (i === 0) {
      binColumns.push('(e.ts_ns - ?) / ? AS b0');
      params.push(w.startNs, widths[0]);
    } else {
      binColumns.push(`CASE WHEN e.ts_ns >= ? AND e.ts_ns <= ? THEN (e.ts_ns - ?) / ? END AS b${i}`);
      params.push(w.startNs, w.endNs, w.startNs, widths[i]);
    }
  });
  const where = ["e.kind = 'exec'", 'e.ts_ns >= ?', 'e.ts_ns <= ?'];
  params.push(main.startNs, main.endNs);
  if (options.host !== undefined) {
    where.push('e.host_id = (SELECT host_id FROM hosts WHERE hostname = ?)');
    params.push(options.host);
  }
  if (options.container === 'host') where.push('e.container_id IS NULL');
  else if (options.container !== undefined) {
    where.push('e.container_id = ?');
    params.push(options.container);
  }
  const bins = windows.map((_, i) => `g.b${i}`).join(', ');
  const rows = prepared(
    db,
    `SELECT g.container_id, h.hostname, c.name, c.pod_name, g.n, ${bins} FROM
      (SELECT e.host_id, e.container_id, ${binColumns.join(', ')}, count(*) AS n FROM execs e WHERE ${where.join(' AND ')}
       GROUP BY e.host_id, e.container_id, ${windows.map((_, i) => `b${i}`).join(', ')}) g
      JOIN hosts h ON h.host_id = g.host_id LEFT JOIN containers c ON c.container_id = g.container_id
      ORDER BY g.host_id, g.container_id NULLS FIRST, ${windows.map((_, i) => `g.b${i} NULLS FIRST`).join(', ')}`,
  )
    .raw(true)
    .all(...params) as unknown[][];
  const panels = windows.map(() => new Map<string, Lane>());
  for (const [containerId, hostname, name, pod, count, ...binOf] of rows) {
    const cid = containerId === null ? null : String(containerId);
    const key = laneKey(String(hostname), cid);
    const n = Number(count);
    binOf.forEach((bin, i) => {
      if (bin === null) return;
      const lanes = panels[i] as Map<string, Lane>;
      let lane = lanes.get(key);
      if (!lane) {
        const label = cid === null ? `${hostname} (host)` : `${hostname} · ${pod ? `${pod}/` : ''}${name ?? cid}`;
        lane = { key, hostname: String(hostname), containerId: cid, label, execs: 0, bins: new Map() };
        lanes.set(key, lane);
      }
      const b = Math.min(Number(bin), binCount - 1);
      lane.bins.set(b, (lane.bins.get(b) ?? 0) + n);
      lane.execs += n;
    });
  }
  return windows.map((w, i) => {
    const all = [...(panels[i] as Map<string, Lane>).values()].sort((a, b) => b.execs - a.execs);
    const kept = all.slice(0, MAX_LANES).sort((a, b) => a.hostname.localeCompare(b.hostname) || (a.containerId ?? '').localeCompare(b.containerId ?? ''));
    const dropped = all.slice(MAX_LANES);
    return {
      startNs: w.startNs,
      endNs: w.endNs,
      binNs: widths[i] as bigint,
      binCount,
      lanes: kept,
      lanesNotDrawn: dropped.length,
      execsNotDrawn: dropped.reduce((n, l) => n + l.execs, 0),
    };
  });
}
