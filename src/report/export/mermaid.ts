import type { LineageGraph } from '../graph/lineage-graph.js';
import { hasExited, nodeLines } from '../graph/node-text.js';

/**
 * Text inside a quoted Mermaid label: every character that Mermaid or the HTML it renders to
 * could read as syntax becomes a `#code;` entity, so evidence text cannot end the label,
 * start markdown or inject markup.
 */
export function mermaidText(text: string): string {
  return [...text].map((c) => (/[A-Za-z0-9 ,./:_=+@-]/.test(c) ? c : `#${c.codePointAt(0)};`)).join('');
}

/** A lineage graph as a Mermaid flowchart (left to right), with the same highlighting classes. */
export function treeMermaid(graph: LineageGraph): string {
  const lines = [
    'flowchart LR',
    '  classDef step fill:#fef3c7,stroke:#b45309,stroke-width:3px',
    '  classDef exited stroke-dasharray: 4 3',
    '  classDef gap fill:#f1f5f9,stroke-dasharray: 1 3',
  ];
  for (const n of graph.nodes) {
    const t = nodeLines(n);
    const head = n.steps.length > 0 ? `${mermaidText(t.title)} #9654; ${mermaidText(n.steps.join(', '))}` : mermaidText(t.title);
    const parts = [head, t.args ? mermaidText(t.args) : '', mermaidText(t.status)].filter((s) => s !== '');
    lines.push(`  ${n.id}["${parts.join('<br/>')}"]`);
  }
  for (const n of graph.nodes) if (n.parentId !== null) lines.push(`  ${n.parentId} --> ${n.id}`);
  const steps = graph.nodes.filter((n) => n.steps.length > 0).map((n) => n.id);
  const exited = graph.nodes.filter((n) => n.exec !== null && hasExited(n.exec) && n.steps.length === 0).map((n) => n.id);
  const gaps = graph.nodes.filter((n) => n.exec === null).map((n) => n.id);
  if (steps.length > 0) lines.push(`  class ${steps.join(',')} step`);
  if (exited.length > 0) lines.push(`  class ${exited.join(',')} exited`);
  if (gaps.length > 0) lines.push(`  class ${gaps.join(',')} gap`);
  if (graph.notDrawn > 0) lines.push(`  %% ${graph.notDrawn} more processes not drawn`);
  return `${lines.join('\n')}\n`;
}
