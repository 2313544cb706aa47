/** Falco priorities, most severe first. */
export const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;

/** 0 = Emergency … 7 = Debug; unknown names sort last. Accepts Falco's aliases (info, warn…). */
export function priorityRank(priority: string): number {
  const p = priority.toLowerCase();
  if (p === 'info') return 6;
  if (p === 'warn') return 4;
  if (p === 'err') return 3;
  const i = PRIORITIES.findIndex((x) => x.toLowerCase() === p);
  return i === -1 ? PRIORITIES.length : i;
}

/** The same ranking as a SQL expression over a column, for ORDER BY and filters. */
export function priorityRankSql(column: string): string {
  const arms = PRIORITIES.map((p, i) => `WHEN '${p.toLowerCase()}' THEN ${i}`).join(' ');
  return `(CASE lower(${column}) ${arms} WHEN 'info' THEN 6 WHEN 'warn' THEN 4 WHEN 'err' THEN 3 ELSE ${PRIORITIES.length} END)`;
}
