/** Falco priorities, most severe first. The order is severity only; it never changes matching. */
export const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;

export type Priority = (typeof PRIORITIES)[number];

/** Parses a priority as Falco does: case-insensitive, `Info` accepted for Informational. */
export function parsePriority(text: string): Priority | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === 'info') return 'Informational';
  return PRIORITIES.find((p) => p.toLowerCase() === lower);
}

/** 0 for Emergency … 7 for Debug. */
export function severityRank(p: Priority): number {
  return PRIORITIES.indexOf(p);
}

/** True when `p` is at least as severe as `min`. */
export function atLeast(p: Priority, min: Priority): boolean {
  return severityRank(p) <= severityRank(min);
}
