import type BetterSqlite3 from 'better-sqlite3';
import { isPostgresDb } from '../../db/postgres/pg-case-db.js';
import type { ChainMatchKey, ChainMatchRow, Page } from './types.js';
import { big, num, str, type Raw } from './sql-values.js';
import { prepared } from '../../db/statement-cache.js';

/**
 * A page of chain matches by start time, after `after` (keyset: a deep page costs what the
 * first does). Sort and page the matches alone, then join the page's hosts.
 */
export function loadChainMatches(db: BetterSqlite3.Database, after: ChainMatchKey | null, limit: number): Page<ChainMatchRow> {
  // Two statements rather than `? IS NULL OR …`: PostgreSQL cannot type a parameter only compared with NULL.
  const rows = prepared(
    db,
    `SELECT m.chain_match_id, m.chain, m.priority, m.container_id, m.first_exec_id, m.last_exec_id,
        m.start_ns, m.end_ns, m.output, h.hostname
      FROM (SELECT chain_match_id, chain, priority, host_id, container_id, first_exec_id, last_exec_id, start_ns, end_ns, output
            FROM chains ${after === null ? '' : 'WHERE (start_ns, chain_match_id) > (?, ?)'}
            ORDER BY start_ns, chain_match_id LIMIT ?) m
      LEFT JOIN hosts h ON h.host_id = m.host_id
      ORDER BY m.start_ns, m.chain_match_id`,
  ).all(...(after === null ? [] : [after.startNs, after.matchId]), limit + 1) as Raw[];
  return {
    items: rows.slice(0, limit).map((r) => ({
      matchId: Number(r.chain_match_id),
      chain: String(r.chain),
      priority: String(r.priority),
      hostname: str(r.hostname),
      containerId: str(r.container_id),
      firstExecId: Number(r.first_exec_id),
      lastExecId: Number(r.last_exec_id),
      startNs: big(r.start_ns) ?? 0n,
      endNs: big(r.end_ns) ?? 0n,
      output: String(r.output),
    })),
    moreBefore: after !== null,
    moreAfter: rows.length > limit,
  };
}

/** Both chain tables exist: older cases were created before schema/003_chains.sql. */
export function hasChainTables(db: BetterSqlite3.Database): boolean {
  if (isPostgresDb(db)) return true;
  const r = prepared(db, "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('chains', 'chain_steps')").get() as Raw;
  return num(r.n) === 2;
}
