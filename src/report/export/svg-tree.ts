import { elide, escapeHtml, escapeLines } from '../escape.js';
import type { LineageGraph } from '../graph/lineage-graph.js';
import { hasExited, nodeLines, nodeTooltip } from '../graph/node-text.js';
import { BOX, layoutTree, type TreeLayout } from '../layout/tree-layout.js';

/** Styles of a lineage picture; the HTML report puts them in its page style once. */
export const TREE_CSS = `
svg.lineage { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 11px; }
svg.lineage .node rect.box { fill: #ffffff; stroke: #64748b; stroke-width: 1; }
svg.lineage .node.exited rect.box { stroke-dasharray: 4 3; fill: #f8fafc; }
svg.lineage .node.step rect.box { fill: #fef3c7; stroke: #b45309; stroke-width: 2.5; }
svg.lineage .node.gap rect.box { fill: #f1f5f9; stroke-dasharray: 1 3; }
svg.lineage .node.failed .status { fill: #b91c1c; }
svg.lineage .node .name { font-weight: 700; fill: #0f172a; }
svg.lineage .node .args { fill: #334155; }
svg.lineage .node .status { fill: #64748b; font-size: 10px; }
svg.lineage .node .step-name { font-weight: 700; fill: #92400e; }
svg.lineage .node.reused .reuse-mark { fill: #dc2626; }
svg.lineage path.edge { fill: none; stroke: #94a3b8; stroke-width: 1.2; }
svg.lineage path.edge.on-path { stroke: #b45309; stroke-width: 2.4; }
`;

const PAD = 6;

/** Nodes on the lineage between two highlighted steps (their edges are drawn in the step colour). */
function onPathIds(graph: LineageGraph): Set<string> {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const steps = new Set(graph.nodes.filter((n) => n.steps.length > 0).map((n) => n.id));
  const marked = new Set<string>();
  for (const id of steps) {
    const path: string[] = [id];
    let p = byId.get(id)?.parentId ?? null;
    while (p !== null && !steps.has(p) && path.length <= graph.nodes.length) {
      path.push(p);
      p = byId.get(p)?.parentId ?? null;
    }
    if (p !== null && steps.has(p)) for (const x of path) marked.add(x);
  }
  return marked;
}

function edgePath(layout: TreeLayout, from: number, to: number): string {
  const a = layout.nodes[from]!;
  const b = layout.nodes[to]!;
  if (layout.direction === 'down') {
    const x1 = a.x + BOX.width / 2 + PAD;
    const y1 = a.y + BOX.height + PAD;
    const x2 = b.x + BOX.width / 2 + PAD;
    const y2 = b.y + PAD;
    const mid = (y1 + y2) / 2;
    return `M${x1},${y1}C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
  }
  const x1 = a.x + BOX.width + PAD;
  const y1 = a.y + BOX.height / 2 + PAD;
  const x2 = b.x + PAD;
  const y2 = b.y + BOX.height / 2 + PAD;
  const mid = (x1 + x2) / 2;
  return `M${x1},${y1}C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}

/**
 * A lineage picture as one SVG element: a box per image (name,pid; arguments, elided; user and
 * how it ended), the steps filled and named, exited processes dashed, reused pids marked, and
 * the full details of each box in its `<title>` (the hover text).
 */
export function treeSvg(graph: LineageGraph, options: { standalone?: boolean; label?: string } = {}): string {
  const layout = layoutTree(graph);
  const width = Math.ceil(layout.width + 2 * PAD);
  const height = Math.ceil(layout.height + 2 * PAD);
  const path = onPathIds(graph);
  const out: string[] = [];
  const ns = options.standalone ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  const label = escapeHtml(options.label ?? 'process lineage');
  out.push(`<svg class="lineage"${ns} width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}">`);
  if (options.standalone) out.push(`<style>${TREE_CSS}</style><rect width="100%" height="100%" fill="#ffffff"/>`);
  for (const e of layout.edges) {
    const cls = path.has(layout.nodes[e.to]!.node.id) ? 'edge on-path' : 'edge';
    out.push(`<path class="${cls}" d="${edgePath(layout, e.from, e.to)}"/>`);
  }
  for (const placed of layout.nodes) {
    const n = placed.node;
    const lines = nodeLines(n);
    const classes = ['node'];
    if (n.exec === null) classes.push('gap');
    else {
      if (hasExited(n.exec)) classes.push('exited');
      if (n.exec.res !== null && n.exec.res !== 0) classes.push('failed');
    }
    if (n.steps.length > 0) classes.push('step');
    if (n.pidReused) classes.push('reused');
    const x = placed.x + PAD;
    const y = placed.y + PAD;
    const stepAttr = n.steps.length > 0 ? ` data-steps="${escapeHtml(n.steps.join(', '))}"` : '';
    const execAttr = n.exec ? ` data-exec="${n.exec.execId}"` : '';
    out.push(`<g class="${classes.join(' ')}"${execAttr}${stepAttr} transform="translate(${x},${y})">`);
    out.push(`<title>${escapeLines(nodeTooltip(n))}</title>`);
    out.push(`<rect class="box" width="${BOX.width}" height="${BOX.height}" rx="4"/>`);
    // One line holds about 29 characters: the step label takes what it needs (up to 16), the name the rest.
    const stepLabel = n.steps.length > 0 ? `▶ ${elide(n.steps.join(', '), 16)}` : '';
    const nameMax = stepLabel ? Math.max(10, 28 - stepLabel.length) : 30;
    out.push(`<text class="name" x="6" y="14">${escapeHtml(elide(lines.title, nameMax))}</text>`);
    if (stepLabel) out.push(`<text class="step-name" x="${BOX.width - 6}" y="14" text-anchor="end">${escapeHtml(stepLabel)}</text>`);
    if (lines.args) out.push(`<text class="args" x="6" y="29">${escapeHtml(lines.args)}</text>`);
    out.push(`<text class="status" x="6" y="43">${escapeHtml(elide(lines.status, 33))}</text>`);
    if (n.pidReused) out.push(`<circle class="reuse-mark" cx="${BOX.width - 6}" cy="${BOX.height - 7}" r="3"/>`);
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('');
}
