/**
 * Which surrogate id a column holds, so a case copied into a PostgreSQL case that already holds
 * other captures gets fresh ids from the sequences and every reference follows.
 */
export type IdKind = 'capture' | 'host' | 'process' | 'exec' | 'alert' | 'chain_match';

const ID_COLUMNS: Record<string, IdKind> = {
  capture_id: 'capture',
  first_capture_id: 'capture',
  same_as_capture_id: 'capture',
  host_id: 'host',
  process_id: 'process',
  parent_process_id: 'process',
  exec_id: 'exec',
  parent_exec_id: 'exec',
  prev_exec_id: 'exec',
  first_exec_id: 'exec',
  last_exec_id: 'exec',
  alert_id: 'alert',
  chain_match_id: 'chain_match',
};

export function idKindOf(column: string): IdKind | undefined {
  return ID_COLUMNS[column];
}

/** The table whose primary key (and sequence) each id kind is. */
export const ID_TABLES: Record<IdKind, { table: string; column: string }> = {
  capture: { table: 'captures', column: 'capture_id' },
  host: { table: 'hosts', column: 'host_id' },
  process: { table: 'processes', column: 'process_id' },
  exec: { table: 'execs', column: 'exec_id' },
  alert: { table: 'alerts', column: 'alert_id' },
  chain_match: { table: 'chains', column: 'chain_match_id' },
};

/**
 * A mapping old id → new id: an offset, or (hosts, matched by name) an explicit map; ids up to
 * `keepUpTo` (rows read from the target itself) stay as they are.
 */
export interface IdMap {
  offset: bigint;
  explicit?: Map<bigint, bigint>;
  keepUpTo?: bigint;
}

export function mapId(map: IdMap | undefined, v: unknown): unknown {
  if (map === undefined || v === null || v === undefined) return v;
  const id = BigInt(v as bigint);
  if (map.keepUpTo !== undefined && id <= map.keepUpTo) return id;
  return map.explicit?.get(id) ?? id + map.offset;
}
