import type { ChainRelationKind } from '../../rules/loader/definitions.js';
import type { OutputValue } from '../../rules/output/alert.js';
import type { Priority } from '../../rules/priority.js';

/** An exec on a lineage path, labelled as the tree prints it (`name,pid`). */
export interface PathExec {
  execId: bigint;
  pid: bigint | null;
  name: string | null;
}

export interface ChainMatchStep {
  index: number;
  name: string;
  execId: bigint;
  tsNs: bigint;
  pid: bigint | null;
  procName: string | null;
  cmdline: string | null;
  /** The earlier step this one is linked to, and how; null for the first step. */
  linkedStep: number | null;
  relation: ChainRelationKind | null;
  /** From the linked step's exec down to this one, inclusive. */
  path: PathExec[];
}

/** One completed chain: an exec for every step, rendered. */
export interface ChainMatch {
  chain: string;
  chainIndex: number;
  priority: Priority;
  tags: string[];
  hostId: bigint;
  hostname: string;
  containerId: string | null;
  startNs: bigint;
  endNs: bigint;
  output: string;
  outputFields: Record<string, OutputValue>;
  steps: ChainMatchStep[];
}

export function compareMatches(a: ChainMatch, b: ChainMatch): number {
  if (a.endNs !== b.endNs) return a.endNs < b.endNs ? -1 : 1;
  if (a.startNs !== b.startNs) return a.startNs < b.startNs ? -1 : 1;
  return a.chainIndex - b.chainIndex;
}
