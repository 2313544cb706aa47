import type { ExecNode } from '../../lineage/exec-node.js';

/** One box of a lineage picture: a program image, or a gap standing for ancestors left out. */
export interface GraphNode {
  /** Unique within the graph: `e<exec_id>` for an image, `g<n>` for a gap. */
  id: string;
  parentId: string | null;
  exec: ExecNode | null;
  /** For a gap: how many images it stands for. */
  omitted: number;
  /** Names of the chain steps (or the alert) this image matched, in step order; empty if none. */
  steps: string[];
  /** Another process on the same host had the same pid during the case. */
  pidReused: boolean;
}

/** A forest of images with the steps to highlight; every format (SVG, DOT, Mermaid) draws this. */
export interface LineageGraph {
  nodes: GraphNode[];
  /** Images in the case that were not drawn because of a bound (e.g. a large subtree). */
  notDrawn: number;
}

export interface GraphOptions {
  /** exec id → the step names it matched. */
  steps?: ReadonlyMap<number, string[]>;
  /** process ids whose pid was reused on their host. */
  reusedPids?: ReadonlySet<number>;
  notDrawn?: number;
}

const execKey = (execId: number): string => `e${execId}`;

function nodeOf(exec: ExecNode, parentId: string | null, options: GraphOptions): GraphNode {
  return {
    id: execKey(exec.execId),
    parentId,
    exec,
    omitted: 0,
    steps: options.steps?.get(exec.execId) ?? [],
    pidReused: options.reusedPids?.has(exec.processId) ?? false,
  };
}

/**
 * A graph from images linked by their lineage edge (parent_exec_id). An image whose parent is
 * not among them becomes a root. Duplicates are dropped; the first occurrence wins.
 */
export function graphFromExecs(execs: readonly ExecNode[], options: GraphOptions = {}): LineageGraph {
  const present = new Set(execs.map((e) => e.execId));
  const seen = new Set<number>();
  const nodes: GraphNode[] = [];
  for (const e of execs) {
    if (seen.has(e.execId)) continue;
    seen.add(e.execId);
    const parent = e.parentExecId !== null && present.has(e.parentExecId) && e.parentExecId !== e.execId ? execKey(e.parentExecId) : null;
    nodes.push(nodeOf(e, parent, options));
  }
  return { nodes: breakCycles(nodes), notDrawn: options.notDrawn ?? 0 };
}

/**
 * A graph from depth-first rows with their depth (as tree and descendants print them): each
 * row's parent is the nearest earlier row one level up.
 */
export function graphFromTreeRows(rows: readonly { node: ExecNode; depth: number }[], options: GraphOptions = {}): LineageGraph {
  const stack: string[] = [];
  const nodes: GraphNode[] = [];
  const seen = new Set<number>();
  for (const { node, depth } of rows) {
    stack.length = Math.min(stack.length, depth);
    const parent = depth > 0 ? (stack[depth - 1] ?? null) : null;
    const n = nodeOf(node, parent, options);
    if (seen.has(node.execId)) n.id = `${n.id}_${nodes.length}`;
    seen.add(node.execId);
    nodes.push(n);
    stack[depth] = n.id;
  }
  return { nodes, notDrawn: options.notDrawn ?? 0 };
}

/**
 * An ancestry (self first, as ancestorsOf returns it) as a chain from the oldest ancestor down.
 * Beyond `maxShown` images the middle is one gap node, so a damaged or huge ancestry stays small.
 */
export function graphFromAncestry(steps: readonly ExecNode[], options: GraphOptions & { maxShown?: number } = {}): LineageGraph {
  const topDown = [...steps].reverse();
  const max = options.maxShown ?? Number.POSITIVE_INFINITY;
  let kept: (ExecNode | number)[] = topDown;
  if (topDown.length > max) {
    const head = Math.max(1, Math.floor(max / 4));
    const tail = Math.max(1, max - head);
    kept = [...topDown.slice(0, head), topDown.length - head - tail, ...topDown.slice(topDown.length - tail)];
  }
  const nodes: GraphNode[] = [];
  let parent: string | null = null;
  for (const item of kept) {
    const n: GraphNode =
      typeof item === 'number'
        ? { id: `g${nodes.length}`, parentId: parent, exec: null, omitted: item, steps: [], pidReused: false }
        : nodeOf(item, parent, options);
    nodes.push(n);
    parent = n.id;
  }
  return { nodes, notDrawn: options.notDrawn ?? 0 };
}

/** A damaged case could link images in a loop; such an edge is cut so layouts always terminate. */
function breakCycles(nodes: GraphNode[]): GraphNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes) {
    const seen = new Set<string>([n.id]);
    let p = n.parentId;
    while (p !== null) {
      if (seen.has(p)) {
        n.parentId = null;
        break;
      }
      seen.add(p);
      p = byId.get(p)?.parentId ?? null;
    }
  }
  return nodes;
}

/**
 * Several graphs as one picture: an image drawn in more than one keeps one box, with the step
 * names of all of them. Gap boxes stay apart (each stands for its own ancestry).
 */
export function mergeGraphs(graphs: readonly LineageGraph[]): LineageGraph {
  const byId = new Map<string, GraphNode>();
  const nodes: GraphNode[] = [];
  graphs.forEach((g, i) => {
    const rename = (id: string | null): string | null => (id?.startsWith('g') ? `g${i}_${id.slice(1)}` : id);
    for (const n of g.nodes) {
      const id = rename(n.id) as string;
      const existing = byId.get(id);
      if (existing) {
        for (const s of n.steps) if (!existing.steps.includes(s)) existing.steps.push(s);
        if (existing.parentId === null && n.parentId !== null) existing.parentId = rename(n.parentId);
        continue;
      }
      const copy = { ...n, id, parentId: rename(n.parentId), steps: [...n.steps] };
      byId.set(id, copy);
      nodes.push(copy);
    }
  });
  return { nodes: breakCycles(nodes), notDrawn: graphs.reduce((s, g) => s + g.notDrawn, 0) };
}
