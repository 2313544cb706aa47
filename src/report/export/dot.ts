import type { LineageGraph } from '../graph/lineage-graph.js';
import { hasExited, nodeLines, nodeTooltip } from '../graph/node-text.js';

/** A DOT double-quoted string: backslashes and quotes escaped, newlines as DOT's `\n`. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/**
 * A lineage graph in Graphviz DOT (left to right, like the report's pictures): steps filled and
 * bold, exited processes dashed, the full details of each image in its tooltip.
 */
export function treeDot(graph: LineageGraph, name = 'lineage'): string {
  const lines = [
    `digraph ${dotString(name)} {`,
    '  rankdir=LR;',
    '  node [shape=box, style="rounded", fontname="monospace", fontsize=10];',
    '  edge [color="#94a3b8"];',
  ];
  for (const n of graph.nodes) {
    const text = nodeLines(n);
    const label = [n.steps.length > 0 ? `${text.title}  ▶ ${n.steps.join(', ')}` : text.title, text.args, text.status].filter((s) => s !== '').join('\n');
    const style = ['rounded'];
    if (n.exec === null || hasExited(n.exec)) style.push('dashed');
    const attrs = [`label=${dotString(label)}`, `tooltip=${dotString(nodeTooltip(n).join('\n'))}`];
    if (n.steps.length > 0) {
      style.push('filled', 'bold');
      attrs.push('fillcolor="#fef3c7"', 'color="#b45309"', 'penwidth=2.5');
    }
    attrs.push(`style=${dotString(style.join(','))}`);
    lines.push(`  ${n.id} [${attrs.join(', ')}];`);
  }
  for (const n of graph.nodes) if (n.parentId !== null) lines.push(`  ${n.parentId} -> ${n.id};`);
  if (graph.notDrawn > 0) lines.push(`  // ${graph.notDrawn} more processes not drawn`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
