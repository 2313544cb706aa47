import { stratify, tree } from 'd3-hierarchy';
import type { GraphNode, LineageGraph } from '../graph/lineage-graph.js';

/** Box size and spacing of a lineage picture, in SVG user units (px at 100%). */
export const BOX = { width: 220, height: 50, columnGap: 40, rowGap: 12, siblingGap: 14, generationGap: 34 } as const;

/** Pictures wider than this scroll on screen and shrink in print; the layout tries to stay under it. */
const PAGE_WIDTH = 1160;

export interface PlacedNode {
  node: GraphNode;
  /** Top-left corner of the box. */
  x: number;
  y: number;
}

export interface TreeLayout {
  nodes: PlacedNode[];
  /** Parent box → child box, by index into nodes. */
  edges: { from: number; to: number }[];
  width: number;
  height: number;
  /** `down`: generations are rows (root on top); `right`: generations are columns (root on the left). */
  direction: 'down' | 'right';
}

const VIRTUAL_ROOT = '\u0000root';

/**
 * Lays a lineage forest out with d3-hierarchy's tidy tree (Reingold–Tilford as Buchheim et al.
 * made it linear): siblings never overlap because every node gets a full box of space
 * (nodeSize), and subtrees are packed as tightly as that allows. Top-down when that fits the
 * page (deep ancestries with few siblings), else left to right (many siblings stack down).
 */
export function layoutTree(graph: LineageGraph): TreeLayout {
  const down = layoutIn(graph, 'down');
  if (down.width <= PAGE_WIDTH) return down;
  const right = layoutIn(graph, 'right');
  return right.width < down.width ? right : down;
}

function layoutIn(graph: LineageGraph, direction: 'down' | 'right'): TreeLayout {
  if (graph.nodes.length === 0) return { nodes: [], edges: [], width: 0, height: 0, direction };
  type Datum = { id: string; parentId: string | null; node: GraphNode | null };
  const data: Datum[] = [
    { id: VIRTUAL_ROOT, parentId: null, node: null },
    ...graph.nodes.map((n) => ({ id: n.id, parentId: n.parentId ?? VIRTUAL_ROOT, node: n })),
  ];
  const root = stratify<Datum>()
    .id((d) => d.id)
    .parentId((d) => d.parentId)(data);
  const laid = tree<Datum>()
    .nodeSize(direction === 'right' ? [BOX.height + BOX.rowGap, BOX.width + BOX.columnGap] : [BOX.width + BOX.siblingGap, BOX.height + BOX.generationGap])
    .separation(() => 1)(root);
  const all = laid.descendants().filter((d) => d.data.node !== null);
  const minX = all.reduce((m, d) => Math.min(m, d.x), Number.POSITIVE_INFINITY);
  const index = new Map<string, number>();
  const nodes: PlacedNode[] = all.map((d, i) => {
    index.set(d.data.id, i);
    const generation = d.depth - 1;
    return direction === 'right'
      ? { node: d.data.node as GraphNode, x: generation * (BOX.width + BOX.columnGap), y: d.x - minX }
      : { node: d.data.node as GraphNode, x: d.x - minX, y: generation * (BOX.height + BOX.generationGap) };
  });
  const edges: { from: number; to: number }[] = [];
  for (const d of all) {
    const parent = d.parent?.data.id;
    if (parent === undefined || parent === VIRTUAL_ROOT) continue;
    edges.push({ from: index.get(parent) as number, to: index.get(d.data.id) as number });
  }
  const width = nodes.reduce((m, n) => Math.max(m, n.x), 0) + BOX.width;
  const height = nodes.reduce((m, n) => Math.max(m, n.y), 0) + BOX.height;
  return { nodes, edges, width, height, direction };
}
