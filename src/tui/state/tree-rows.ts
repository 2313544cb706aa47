import type { ProcessRow } from '../data/types.js';

/** Key of the roots list in `windows`. */
export const ROOTS = -1;

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

/** Guide characters kept per row: deeper rows show the last levels' guides (the depth is on the row). */
const MAX_GUIDES_CHARS = 3 * 40;

type Entry = { kind: 'more'; side: 'before' | 'after' } | { kind: 'process'; id: number };

/**
 * Flattens the expanded part of the tree, depth first. Costs one step per visible row, and
 * only loaded rows can be visible, so it stays proportional to what the user opened. An explicit
 * stack, not recursion: a chain opened tens of thousands of levels deep must not overflow it.
 */
export function flattenTree(state: LoadedTree): VisibleRow[] {
  const out: VisibleRow[] = [];
  // Frames: one parent's entries, the next to show, and the guides its children inherit.
  const stack: { parent: number; depth: number; prefix: string; entries: Entry[]; next: number }[] = [];
  const open = (parent: number, depth: number, prefix: string): void => {
    const win = state.windows.get(parent);
    if (!win) return;
    const entries: Entry[] = [];
    if (win.moreBefore) entries.push({ kind: 'more', side: 'before' });
    for (const id of win.ids) entries.push({ kind: 'process', id });
    if (win.moreAfter) entries.push({ kind: 'more', side: 'after' });
    stack.push({ parent, depth, prefix, entries, next: 0 });
  };
  open(ROOTS, 0, '');
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    if (frame.next >= frame.entries.length) {
      stack.pop();
      continue;
    }
    const i = frame.next++;
    const entry = frame.entries[i] as Entry;
    const { parent, depth, prefix } = frame;
    const last = i === frame.entries.length - 1;
    const guides = depth === 0 ? '' : prefix + (last ? '└─ ' : '├─ ');
    if (entry.kind === 'more') {
      out.push({ kind: 'more', key: moreKey(parent, entry.side), parent, side: entry.side, depth, guides });
      continue;
    }
    const row = state.rows.get(entry.id);
    if (!row) continue;
    const expanded = state.expanded.has(entry.id);
    out.push({ kind: 'process', key: `p:${entry.id}`, id: entry.id, row, depth, guides, expanded });
    if (expanded) {
      const childPrefix = depth === 0 ? '' : (prefix + (last ? '   ' : '│  ')).slice(-MAX_GUIDES_CHARS);
      open(entry.id, depth + 1, childPrefix);
    }
  }
  return out;
}
