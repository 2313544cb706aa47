import type { ProcessRow } from '../data/types.js';

/** A contiguous, loaded slice of one parent's children (or of the roots), in process_id order. */
export interface ChildWindow {
  ids: number[];
  moreBefore: boolean;
  moreAfter: boolean;
}

/** The loaded part of the tree: rows by process id, each parent's loaded children, and which parents are open. */
export interface LoadedTree {
  rows: ReadonlyMap<number, ProcessRow>;
  windows: ReadonlyMap<number, ChildWindow>;
  expanded: ReadonlySet<number>;
}

/**
 * One line of the tree as shown: a process, or a "more siblings" marker that loads the next
 * (or previous) page when activated. `guides` is the box-drawing prefix for its depth.
 */
export type VisibleRow =
  | { kind: 'process'; key: string; id: number; row: ProcessRow; depth: number; guides: string; expanded: boolean }
  | { kind: 'more'; key: string; parent: number; side: 'before' | 'after'; depth: number; guides: string };

const moreKey = (parent: number, side: 'before' | 'after'): string => `m:${parent}:${side}`;

/**
 * Flattens the expanded part of the tree, depth first. Costs one step per visible row, and
 * only loaded rows can be visible, so it stays proportional to what the user opened.
 */
export function flattenTree(state: LoadedTree): VisibleRow[] {
  const out: VisibleRow[] = [];
  const ROOT_LIST = -1;
  const walk = (parent: number, depth: number, prefix: string): void => {
    const win = state.windows.get(parent);
    if (!win) return;
    type Entry = { kind: 'more'; side: 'before' | 'after' } | { kind: 'process'; id: number };
    const entries: Entry[] = [];
    if (win.moreBefore) entries.push({ kind: 'more', side: 'before' });
    for (const id of win.ids) entries.push({ kind: 'process', id });
    if (win.moreAfter) entries.push({ kind: 'more', side: 'after' });
    entries.forEach((entry, i) => {
      const last = i === entries.length - 1;
      const guides = depth === 0 ? '' : prefix + (last ? '└─ ' : '├─ ');
      const childPrefix = depth === 0 ? '' : prefix + (last ? '   ' : '│  ');
      if (entry.kind === 'more') {
        out.push({ kind: 'more', key: moreKey(parent, entry.side), parent, side: entry.side, depth, guides });
        return;
      }
      const row = state.rows.get(entry.id);
      if (!row) return;
      const expanded = state.expanded.has(entry.id);
      out.push({ kind: 'process', key: `p:${entry.id}`, id: entry.id, row, depth, guides, expanded });
      if (expanded) walk(entry.id, depth + 1, childPrefix);
    });
  };
  walk(ROOT_LIST, 0, '');
  return out;
}
