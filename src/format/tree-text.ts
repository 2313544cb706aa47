import type { ExecNode } from '../lineage/exec-node.js';
import { visible } from '../util/visible.js';
import { formatTime } from './time-text.js';

export interface TreeRow {
  node: ExecNode;
  depth: number;
}

/** `exit 0`, `killed by signal 9`, `running` — how a process ended, for tree lines. */
export function exitStatus(node: ExecNode): string {
  if (node.exitSignal !== null && node.exitSignal !== 0) return `killed by signal ${node.exitSignal}`;
  if (node.exitCode !== null) return `exit ${node.exitCode}`;
  if (node.processEndNs !== null) return 'exited';
  return 'running';
}

function argsOf(node: ExecNode): string {
  const cmd = node.cmdline ?? '';
  const name = node.name ?? '';
  // Only the separating space goes: trimming would also drop a leading \r or \n the evidence holds.
  return cmd.startsWith(name) ? cmd.slice(name.length).replace(/^ +/, '') : cmd;
}

/** One line of a pstree -pa style tree: `name,pid args  [status, start → end]`. */
export function treeLabel(node: ExecNode, options: { containerTag?: boolean; time?: (ns: bigint) => string } = {}): string {
  const timeText = options.time ?? ((ns: bigint) => formatTime(ns));
  const args = argsOf(node);
  const times = node.processStartNs !== null
    ? `, ${timeText(node.processStartNs)}${node.processEndNs !== null ? ` → ${timeText(node.processEndNs)}` : ''}`
    : '';
  const container = options.containerTag && node.containerId ? ` {${visible(node.containerName ?? node.containerId)}}` : '';
  const origin = node.origin === 'inferred' ? ' (inferred)' : '';
  return `${visible(node.name ?? '?')},${node.pid}${args ? ` ${visible(args)}` : ''}${container}${origin}  [${exitStatus(node)}${times}]`;
}

/**
 * Draws depth-first rows (each with its depth) as an indented tree with box-drawing guides.
 * Rows must be in depth-first order, as descendantsOf returns them.
 */
export function drawTree(rows: TreeRow[], label: (node: ExecNode) => string): string[] {
  const lines: string[] = [];
  const openAtDepth: boolean[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as TreeRow;
    let isLast = true;
    for (let j = i + 1; j < rows.length; j++) {
      const d = (rows[j] as TreeRow).depth;
      if (d < row.depth) break;
      if (d === row.depth) {
        isLast = false;
        break;
      }
    }
    let prefix = '';
    for (let d = 1; d < row.depth; d++) prefix += openAtDepth[d] ? '│   ' : '    ';
    if (row.depth > 0) prefix += isLast ? '└── ' : '├── ';
    openAtDepth[row.depth] = !isLast;
    lines.push(prefix + label(row.node));
  }
  return lines;
}
