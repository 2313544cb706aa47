import type { CaseCounts } from './types.js';

/** Hosts whose process count is kept; the overview lists at most 50. */
const HOST_COUNT_CAP = 1000;

/**
 * What the header and the overview count, read from the rows themselves (the per-capture
 * totals the importer records are taken before rows of other sources are merged, so they can
 * run ahead of the case): processes are `processes` rows, one per process lifetime, as
 * `pedigree ps --all` lists them and the trees draw them; execs are execve/execveat images, as
 * `pedigree execs --all` lists them (fork, snapshot and inferred images are not counted).
 * Both scan a whole table, so they run on a worker.
 */
export const CASE_COUNTS_SQL = `SELECT NULL AS host_id, (SELECT count(*) FROM processes) AS processes,
    (SELECT count(*) FROM execs WHERE kind = 'exec') AS execs
  UNION ALL SELECT host_id, count(*), NULL FROM processes GROUP BY host_id`;

export const CASE_COUNTS_LIMIT = HOST_COUNT_CAP + 1;

/** The rows of CASE_COUNTS_SQL as counts. */
export function caseCountsFromRows(rows: unknown[][]): CaseCounts {
  const [total, ...hosts] = rows;
  const hostProcesses = new Map<number, number>();
  for (const [hostId, processes] of hosts) hostProcesses.set(Number(hostId), Number(processes));
  return { processes: Number(total?.[1] ?? 0), execs: Number(total?.[2] ?? 0), hostProcesses };
}
