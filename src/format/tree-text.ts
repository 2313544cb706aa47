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
  const times =
    node.processStartNs !== null ? `, ${timeText(node.processStartNs)}${node.processEndNs !== null ? ` → ${timeText(node.processEndNs)}` : ''}` : '';
  const container = options.containerTag && node.containerId ? ` {${visible(node.containerName ?? node.containerId)}}` : '';
  const origin = node.origin === 'inferred' ? ' (inferred)' : '';
  return `${visible(node.name ?? '?')},${node.pid}${args ? ` ${visible(args)}` : ''}${container}${origin}  [${exitStatus(node)}${times}]`;
}

/** Levels drawn with guides; deeper rows say their depth instead of a line wider than any screen. */
const MAX_GUIDE_DEPTH = 48;

/**
 * Draws depth-first rows (each with its depth) as an indented tree with box-drawing guides.
 * Rows must be in depth-first order, as descendantsOf returns them. Linear in the rows, whatever
 * the depth: below MAX_GUIDE_DEPTH levels a row starts with "(depth N)" and the guides of its
 * last MAX_GUIDE_DEPTH levels.
 */
export function drawTree(rows: TreeRow[], label: (node: ExecNode) => string): string[] {
  const last = lastAmongSiblings(rows);
  const lines: string[] = [];
  const openAtDepth: boolean[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as TreeRow;
    const isLast = last[i] as boolean;
    const from = Math.max(1, row.depth - MAX_GUIDE_DEPTH);
    let prefix = from > 1 ? `(depth ${row.depth}) ` : '';
    for (let d = from; d < row.depth; d++) prefix += openAtDepth[d] ? '│   ' : '    ';
    if (row.depth > 0) prefix += isLast ? '└── ' : '├── ';
    openAtDepth[row.depth] = !isLast;
    lines.push(prefix + label(row.node));
  }
  return lines;
}

/** For each row, whether no later sibling follows it: one backward pass. */
function lastAmongSiblings(rows: TreeRow[]): boolean[] {
  const last = new Array<boolean>(rows.length);
  // seen[d]: a row at depth d came after this point, before any shallower row.
  const seen: boolean[] = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    const depth = (rows[i] as TreeRow).depth;
    last[i] = seen[depth] !== true;
    if (seen.length > depth + 1) seen.length = depth + 1;
    seen[depth] = true;
  }
  return last;
}
