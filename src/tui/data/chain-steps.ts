import type BetterSqlite3 from 'better-sqlite3';
import type { ChainStepRow, Page, PathItem } from './types.js';
import { big, num, str, type Raw } from './sql-values.js';
import { prepared } from '../../db/statement-cache.js';

const STEP_CAP = 64;
/** A longer lineage path keeps its first PATH_HEAD and last PATH_TAIL execs. */
const PATH_HEAD = 3;
const PATH_TAIL = 6;

/** The exec ids of a path_json value; anything else (NULL, malformed) is no path. */
function pathIds(json: string | null): number[] {
  if (json === null) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is number => Number.isSafeInteger(x)) : [];
  } catch {
    return [];
  }
}

/** The ids to show of a path, with null where a gap leaves out the middle. */
function boundedPath(ids: number[]): (number | null)[] {
  if (ids.length <= PATH_HEAD + PATH_TAIL + 1) return ids;
  return [...ids.slice(0, PATH_HEAD), null, ...ids.slice(ids.length - PATH_TAIL)];
}

/**
 * The steps of one match in rule order, each with its exec and its lineage path. The path's
 * execs are read by primary key, all steps' at once, so a match costs two queries.
 */
export function loadChainSteps(db: BetterSqlite3.Database, matchId: number): Page<ChainStepRow> {
  const rows = prepared(
    db,
    `SELECT s.step_index, s.step, s.exec_id, s.ts_ns, s.linked_step, s.relation, s.path_json, e.pid, e.name, e.cmdline
      FROM chain_steps s LEFT JOIN execs e ON e.exec_id = s.exec_id
      WHERE s.chain_match_id = ? ORDER BY s.step_index LIMIT ?`,
  ).all(matchId, STEP_CAP + 1) as Raw[];
  const shown = rows.slice(0, STEP_CAP);
  const paths = shown.map((r) => {
    const ids = pathIds(str(r.path_json));
    return { ids: boundedPath(ids), omitted: Math.max(0, ids.length - PATH_HEAD - PATH_TAIL) };
  });
  const wanted = [...new Set(paths.flatMap((p) => p.ids.filter((id): id is number => id !== null)))];
  const execs = new Map<number, Raw>();
  if (wanted.length > 0) {
    const found = prepared(db, 'SELECT exec_id, name, pid FROM execs WHERE exec_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))').all(
      JSON.stringify(wanted),
    ) as Raw[];
    for (const e of found) execs.set(Number(e.exec_id), e);
  }
  const items = shown.map((r, i): ChainStepRow => {
    const p = paths[i] as { ids: (number | null)[]; omitted: number };
    const path = p.ids.map((id): PathItem => {
      if (id === null) return { kind: 'gap', omitted: p.omitted };
      const e = execs.get(id);
      return { kind: 'exec', execId: id, name: e ? str(e.name) : null, pid: e ? num(e.pid) : null };
    });
    return {
      stepIndex: Number(r.step_index),
      step: String(r.step),
      execId: Number(r.exec_id),
      tsNs: big(r.ts_ns) ?? 0n,
      linkedStep: num(r.linked_step),
      relation: str(r.relation),
      pid: num(r.pid),
      name: str(r.name),
      cmdline: str(r.cmdline),
      path,
    };
  });
  return { items, moreBefore: false, moreAfter: rows.length > STEP_CAP };
}
