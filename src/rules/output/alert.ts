import type { Priority } from '../priority.js';

/** One rule hit on one exec row, rendered. */
export interface Alert {
  rule: string;
  /** Load order of the rule (ties between alerts at the same instant keep file order). */
  ruleIndex: number;
  priority: Priority;
  tags: string[];
  source: string;
  execId: bigint;
  timeNs: bigint;
  evtNum: bigint | null;
  hostname: string;
  /** The rendered output, without time and priority. */
  output: string;
  /** Each `%field` of the output and its value (null when missing). */
  outputFields: Record<string, OutputValue>;
}

export type OutputValue = string | bigint | boolean | number | null;

export function compareAlerts(a: Alert, b: Alert): number {
  if (a.timeNs !== b.timeNs) return a.timeNs < b.timeNs ? -1 : 1;
  const an = a.evtNum ?? -1n;
  const bn = b.evtNum ?? -1n;
  if (an !== bn) return an < bn ? -1 : 1;
  if (a.execId !== b.execId) return a.execId < b.execId ? -1 : 1;
  return a.ruleIndex - b.ruleIndex;
}
