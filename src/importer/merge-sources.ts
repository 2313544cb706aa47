import type BetterSqlite3 from 'better-sqlite3';
import { toleranceNs } from './merge-precision.js';
import { RowMerger } from './merge-rows.js';

/**
 * Several sources, one case (docs/formats.md, "Merging sources"). After a capture is written,
 * its execs that another capture of the same host already holds are folded into those rows:
 *
 * 1. Same exec: same host, same pid, both successful execs, |Δ exec time| within the coarser of
 *    the two formats' precisions plus 1 ms skew, and the same program (executable paths equal
 *    once `/usr/bin`≡`/bin`, `/usr/sbin`≡`/sbin`, `/usr/lib`≡`/lib`; the comm when a side has no
 *    path). The closest candidate wins; each row merges at most once.
 * 2. Same placeholder: a parent only inferred by one source (kind 'inferred') is the process with
 *    that pid the other source saw alive at that moment (±1 s), and with the same name when both
 *    name it; an observed image is preferred over the other source's placeholder.
 *
 * The kept row is the one already in the case; it takes the columns it lacks from the
 * duplicate. Runs inside the import transaction (importFile's `afterWrite`).
 */
export function mergeAcrossSources(db: BetterSqlite3.Database, captureId: number): number {
  if (db.prepare('SELECT 1 FROM captures WHERE capture_id <> ? LIMIT 1').get(captureId) === undefined) return 0;
  const format = (db.prepare('SELECT format FROM captures WHERE capture_id = ?').get(captureId) as { format: string }).format;
  const others = db
    .prepare(`SELECT DISTINCT e.capture_id, c.format FROM execs e JOIN captures c USING (capture_id)
              WHERE e.capture_id <> ? AND e.host_id IN (SELECT DISTINCT host_id FROM execs WHERE capture_id = ?)`)
    .all(captureId, captureId) as { capture_id: bigint; format: string }[];
  if (others.length === 0) return 0;
  const formatOf = new Map(others.map((o) => [Number(o.capture_id), o.format]));
  const merger = new RowMerger(db);
  let merged = mergeExecs(db, captureId, format, formatOf, merger);
  merged += mergePlaceholders(db, captureId, merger);
  if (merged > 0) {
    db.prepare('INSERT INTO capture_warnings (capture_id, line, byte_offset, message) VALUES (?, NULL, NULL, ?)').run(
      captureId,
      `merged ${merged} exec rows with the same execs already in the case from other captures of this host`,
    );
  }
  return merged;
}

interface ExecLite {
  exec_id: bigint;
  capture_id: bigint;
  host_id: bigint;
  pid: bigint;
  ts_ns: bigint | null;
  name: string | null;
  exepath: string | null;
}

function mergeExecs(db: BetterSqlite3.Database, captureId: number, format: string, formatOf: Map<number, string>, merger: RowMerger): number {
  const mine = db
    .prepare(`SELECT exec_id, capture_id, host_id, pid, ts_ns, name, exepath FROM execs
              WHERE capture_id = ? AND kind = 'exec' AND res = 0 AND ts_ns IS NOT NULL ORDER BY ts_ns`)
    .all(captureId) as ExecLite[];
  // Through the process rows (processes_pid, then execs_process): exec rows keep no pid index.
  const candidates = db.prepare(`SELECT e.exec_id, e.capture_id, e.host_id, e.pid, e.ts_ns, e.name, e.exepath
      FROM processes p JOIN execs e ON e.process_id = p.process_id
      WHERE p.host_id = ? AND p.pid = ? AND e.host_id = p.host_id AND e.pid = p.pid
        AND e.capture_id <> ? AND e.kind = 'exec' AND e.res = 0 AND e.ts_ns BETWEEN ? AND ?
      ORDER BY e.exec_id`);
  const used = new Set<number>();
  let merged = 0;
  for (const n of mine) {
    const wide = 2_000_000_000n;
    let best: { row: ExecLite; delta: bigint } | undefined;
    for (const o of candidates.all(n.host_id, n.pid, captureId, n.ts_ns! - wide, n.ts_ns! + wide) as ExecLite[]) {
      if (used.has(Number(o.exec_id))) continue;
      const delta = abs(o.ts_ns! - n.ts_ns!);
      if (delta > toleranceNs(format, formatOf.get(Number(o.capture_id)) ?? '')) continue;
      if (!sameProgram(n, o)) continue;
      if (!best || delta < best.delta) best = { row: o, delta };
    }
    if (!best) continue;
    used.add(Number(best.row.exec_id));
    merger.merge(Number(n.exec_id), Number(best.row.exec_id));
    merged++;
  }
  return merged;
}

/** Placeholders of either side that the other side saw for real. */
function mergePlaceholders(db: BetterSqlite3.Database, captureId: number, merger: RowMerger): number {
  const placeholders = db
    .prepare(`SELECT e.exec_id, e.capture_id, e.host_id, e.pid, e.ts_ns, e.name FROM execs e
              WHERE e.kind = 'inferred' AND e.host_id IN (SELECT DISTINCT host_id FROM execs WHERE capture_id = :c)`)
    .all({ c: captureId }) as (ExecLite & { name: string | null })[];
  const alive = db.prepare(`SELECT e.exec_id, e.name FROM processes p JOIN execs e ON e.process_id = p.process_id
      WHERE p.host_id = :host AND p.pid = :pid AND p.capture_id <> :cap AND (:cap = :c OR p.capture_id = :c)
        AND (p.start_ns IS NULL OR p.start_ns <= :ts + 1000000000)
        AND (p.end_ns IS NULL OR p.end_ns >= :ts - 1000000000)
        AND (e.ts_ns IS NULL OR e.ts_ns <= :ts + 1000000000)
      ORDER BY e.kind = 'inferred', e.ts_ns DESC LIMIT 1`);
  const exists = db.prepare('SELECT 1 FROM execs WHERE exec_id = ?');
  let merged = 0;
  for (const ph of placeholders) {
    if (!exists.get(ph.exec_id)) continue;
    const ts = ph.ts_ns ?? 0n;
    const target = alive.get({ host: ph.host_id, pid: ph.pid, cap: ph.capture_id, c: captureId, ts }) as { exec_id: bigint; name: string | null } | undefined;
    if (!target) continue;
    if (ph.name !== null && target.name !== null && ph.name !== target.name) continue;
    merger.merge(Number(ph.exec_id), Number(target.exec_id));
    merged++;
  }
  return merged;
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function usrMerged(path: string): string {
  return path.replace(/^\/usr\/(s?bin|lib(?:32|64)?)\//, '/$1/');
}

function sameProgram(a: ExecLite, b: ExecLite): boolean {
  if (a.exepath && b.exepath) return usrMerged(a.exepath) === usrMerged(b.exepath);
  return a.name !== null && b.name !== null && a.name.slice(0, 15) === b.name.slice(0, 15);
}
