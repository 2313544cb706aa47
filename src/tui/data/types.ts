import type { ExecNode } from '../../lineage/exec-node.js';

/** One process as a tree line shows it: the process row plus its current (last) image. */
export interface ProcessRow {
  processId: number;
  parentProcessId: number | null;
  hostId: number;
  pid: number;
  /** The process's last image; the tree line shows it. */
  execId: number | null;
  name: string | null;
  cmdline: string | null;
  containerId: string | null;
  startNs: bigint | null;
  endNs: bigint | null;
  exitCode: number | null;
  exitSignal: number | null;
  origin: string;
  /** Direct children, counted up to CHILD_COUNT_CAP (a capped count keeps the query bounded). */
  childCount: number;
  /** Some image of this process has an alert. */
  alerted: boolean;
}

export const CHILD_COUNT_CAP = 1000;

/** A contiguous slice of an ordered list, and whether the list goes on at either end. */
export interface Page<T> {
  items: T[];
  moreBefore: boolean;
  moreAfter: boolean;
}

/** Where a page of a keyset-ordered list starts. */
export type Cursor = { after: number | null } | { before: number } | { from: number };

/** Which forest the tree shows: one host's whole forest, or one container's entry points down. */
export type TreeScope = { kind: 'host'; hostId: number; label: string } | { kind: 'container'; containerId: string; hostId: number | null; label: string };

export interface CaptureSummary {
  captureId: number;
  path: string;
  format: string;
  status: string;
  hostname: string | null;
  events: number;
  processes: number;
}

export interface HostSummary {
  hostId: number;
  hostname: string;
}

/** Row counts of the case (see case-counts.ts for what each counts); read on a worker. */
export interface CaseCounts {
  processes: number;
  execs: number;
  /** Processes per host id. */
  hostProcesses: ReadonlyMap<number, number>;
}

export interface CaseSummary {
  dbPath: string;
  captures: CaptureSummary[];
  capturesMore: boolean;
  hosts: HostSummary[];
  hostsMore: boolean;
  firstNs: bigint | null;
  lastNs: bigint | null;
  containerCount: number;
  alertsByPriority: { priority: string; count: number }[];
  alertCount: number;
  /** The case has the chains and chain_steps tables (schema 003; older cases do not). */
  hasChains: boolean;
  /** Stored chain matches (0 when the case has no chain tables). */
  chainMatchCount: number;
}

export interface ContainerSummary {
  containerId: string;
  hostId: number | null;
  name: string | null;
  image: string | null;
  podName: string | null;
  podNamespace: string | null;
  processCount: number;
  alertCount: number;
}

/** One image of a process (exec or execveat), as the detail pane lists them. */
export type ImageStep = Pick<ExecNode, 'execId' | 'kind' | 'tsNs' | 'name' | 'cmdline' | 'res'>;

/** One step of an ancestry chain, as the detail pane draws it. */
export type AncestryStep = Pick<ExecNode, 'execId' | 'processId' | 'pid' | 'name' | 'cmdline' | 'containerId'>;

/** An exec with the fields only the detail pane shows, and what hangs off it. */
export interface ExecDetail extends ExecNode {
  args: string | null;
  gid: number | null;
  loginuid: number | null;
  tty: number | null;
  hasEnv: boolean;
  image: string | null;
  podNamespace: string | null;
  images: ImageStep[];
  imagesMore: boolean;
  /** Root first, the exec itself last. */
  ancestry: AncestryStep[];
  alerts: { rule: string; priority: string }[];
  /** Chain matches this exec is a step of (chain rule, priority, step name). */
  chainSteps: { chain: string; priority: string; step: string }[];
}

export interface AlertRow {
  alertId: number;
  execId: number | null;
  rule: string;
  priority: string;
  timeNs: bigint | null;
  output: string;
  pid: number | null;
  name: string | null;
  containerId: string | null;
}

export type { TableResult } from '../../db/read-query-runner.js';

/** Where a page of chain matches starts: after this (start_ns, chain_match_id); null = the first page. */
export interface ChainMatchKey {
  startNs: bigint;
  matchId: number;
}

/** One `chains` row: a match of a chain rule (docs/chains.md). */
export interface ChainMatchRow {
  matchId: number;
  chain: string;
  priority: string;
  hostname: string | null;
  /** NULL = the host, not a container. */
  containerId: string | null;
  firstExecId: number;
  lastExecId: number;
  startNs: bigint;
  endNs: bigint;
  output: string;
}

/** An exec on a step's lineage path, or the middle of a long path left out. */
export type PathItem = { kind: 'exec'; execId: number; name: string | null; pid: number | null } | { kind: 'gap'; omitted: number };

/** One `chain_steps` row with the exec that filled the step. */
export interface ChainStepRow {
  stepIndex: number;
  step: string;
  execId: number;
  tsNs: bigint;
  linkedStep: number | null;
  relation: string | null;
  pid: number | null;
  name: string | null;
  cmdline: string | null;
  /** From the linked step's exec down to this one; empty when the row has no path. */
  path: PathItem[];
}
