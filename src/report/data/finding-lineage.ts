import type BetterSqlite3 from 'better-sqlite3';
import { ancestorsOf } from '../../lineage/ancestry.js';
import { descendantsOf } from '../../lineage/descendants.js';
import type { ExecNode } from '../../lineage/exec-node.js';
import { processesWithReusedPid } from '../../lineage/pid-reuse.js';
import { graphFromExecs, type GraphNode, type LineageGraph } from '../graph/lineage-graph.js';
import type { FindingStep } from './findings.js';

/** Ancestors drawn above a step before the middle of its ancestry becomes one gap box. */
const ANCESTRY_SHOWN = 16;
/** Oldest ancestors kept above such a gap (the root and its child, usually init and a runtime). */
const ANCESTRY_TOP = 2;
/** Processes counted under the first step, to say how many the picture leaves out. */
const SUBTREE_COUNT_CAP = 1000;

export interface FindingPicture {
  graph: LineageGraph;
  /** Processes under the first step that are not drawn; `capped` when there are at least that many. */
  subtreeNotDrawn: number;
  subtreeCapped: boolean;
}

/**
 * The lineage a finding's picture shows: the ancestry of every step from the oldest known
 * ancestor (its middle folded into one gap box when long), and the first `subtreeLimit`
 * processes under the first step, each linked up to an image already drawn.
 */
export function findingPicture(db: BetterSqlite3.Database, steps: readonly FindingStep[], subtreeLimit: number): FindingPicture {
  const execs = new Map<number, ExecNode>();
  const folded = new Map<number, { omitted: number; top: number }>();
  for (const s of steps) {
    const chain = ancestorsOf(db, s.execId);
    if (chain.length > ANCESTRY_SHOWN + ANCESTRY_TOP + 1) {
      const near = chain.slice(0, ANCESTRY_SHOWN);
      const top = chain.slice(chain.length - ANCESTRY_TOP);
      const lowestKept = near[near.length - 1] as ExecNode;
      if (!execs.has(lowestKept.parentExecId ?? -1)) {
        folded.set(lowestKept.execId, { omitted: chain.length - ANCESTRY_SHOWN - ANCESTRY_TOP, top: (top[0] as ExecNode).execId });
      }
      for (const e of [...near, ...top]) if (!execs.has(e.execId)) execs.set(e.execId, e);
    } else {
      for (const e of chain) if (!execs.has(e.execId)) execs.set(e.execId, e);
    }
  }
  const anchor = steps[0]?.exec;
  let subtreeNotDrawn = 0;
  let subtreeCapped = false;
  if (anchor) {
    const sub = descendantsOf(db, anchor.processId, { limit: SUBTREE_COUNT_CAP + 1 });
    const drawn = sub.slice(0, subtreeLimit + 1);
    subtreeNotDrawn = Math.max(0, Math.min(sub.length, SUBTREE_COUNT_CAP) - drawn.length);
    subtreeCapped = sub.length > SUBTREE_COUNT_CAP;
    for (const d of drawn) {
      if (execs.has(d.execId)) continue;
      // Link the process up to what is already drawn through the images in between.
      for (const a of ancestorsOf(db, d.execId)) {
        if (execs.has(a.execId)) break;
        execs.set(a.execId, a);
      }
    }
  }
  const stepNames = new Map<number, string[]>();
  for (const s of steps) stepNames.set(s.execId, [...(stepNames.get(s.execId) ?? []), s.step]);
  const ordered = [...execs.values()].sort((a, b) => Number((a.processStartNs ?? a.tsNs ?? 0n) - (b.processStartNs ?? b.tsNs ?? 0n)) || a.execId - b.execId);
  const graph = graphFromExecs(ordered, {
    steps: stepNames,
    reusedPids: processesWithReusedPid(
      db,
      ordered.map((e) => e.processId),
    ),
    notDrawn: subtreeNotDrawn,
  });
  foldGaps(graph, folded);
  return { graph, subtreeNotDrawn, subtreeCapped };
}

/** Puts a gap box between an image and the oldest ancestors kept above its folded ancestry. */
function foldGaps(graph: LineageGraph, folded: Map<number, { omitted: number; top: number }>): void {
  let n = 0;
  for (const [execId, gap] of folded) {
    const child = graph.nodes.find((x) => x.id === `e${execId}`);
    if (!child || child.parentId !== null) continue;
    const node: GraphNode = { id: `g${n++}`, parentId: `e${gap.top}`, exec: null, omitted: gap.omitted, steps: [], pidReused: false };
    graph.nodes.push(node);
    child.parentId = node.id;
  }
}
