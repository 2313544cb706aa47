import type { Page, ProcessRow, TreeScope } from '../data/types.js';
import { ROOTS, flattenTree, type ChildWindow, type LoadedTree, type VisibleRow } from './tree-rows.js';

/**
 * The lazy process tree. Only loaded pages are held; `windows` maps a parent process id (or
 * ROOTS) to the slice of its children loaded so far, and `expanded` says which parents show
 * theirs. Selection is a row key (see tree-rows.ts); `top` is the first row on screen.
 */
export interface TreeState extends LoadedTree {
  scope: TreeScope | null;
  /** The list each loaded process was listed in (its tree parent, or ROOTS). */
  listedUnder: ReadonlyMap<number, number>;
  selected: string | null;
  /** Exec the detail pane shows instead of the selected process's last image (search, alert jump). */
  focusExecId: number | null;
  top: number;
  height: number;
}

export type TreeAction =
  | { type: 'open-scope'; scope: TreeScope; roots: Page<ProcessRow> }
  | { type: 'page-loaded'; parent: number; page: Page<ProcessRow>; mode: 'replace' | 'append' | 'prepend' }
  | { type: 'expand'; id: number }
  | { type: 'collapse'; id: number }
  | { type: 'collapse-all' }
  | { type: 'move'; delta: number }
  | { type: 'move-edge'; edge: 'first' | 'last' }
  | { type: 'select-process'; id: number; focusExecId?: number | null }
  | { type: 'select-parent' }
  | { type: 'select-sibling'; direction: 1 | -1 }
  | { type: 'viewport'; height: number }
  | { type: 'batch'; actions: TreeAction[] };

export function initialTreeState(height = 10): TreeState {
  return {
    scope: null,
    rows: new Map(),
    windows: new Map(),
    listedUnder: new Map(),
    expanded: new Set(),
    selected: null,
    focusExecId: null,
    top: 0,
    height: Math.max(1, height),
  };
}

const processKey = (id: number): string => `p:${id}`;

export function selectedProcessId(state: TreeState): number | null {
  return state.selected?.startsWith('p:') ? Number(state.selected.slice(2)) : null;
}

function withPage(state: TreeState, parent: number, page: Page<ProcessRow>, mode: 'replace' | 'append' | 'prepend'): TreeState {
  const rows = new Map(state.rows);
  const listedUnder = new Map(state.listedUnder);
  for (const r of page.items) {
    rows.set(r.processId, r);
    listedUnder.set(r.processId, parent);
  }
  const ids = page.items.map((r) => r.processId);
  const old = state.windows.get(parent);
  let win: ChildWindow;
  if (mode === 'append' && old) {
    win = { ids: [...old.ids, ...ids.filter((id) => !old.ids.includes(id))], moreBefore: old.moreBefore, moreAfter: page.moreAfter };
  } else if (mode === 'prepend' && old) {
    win = { ids: [...ids.filter((id) => !old.ids.includes(id)), ...old.ids], moreBefore: page.moreBefore, moreAfter: old.moreAfter };
  } else {
    win = { ids, moreBefore: page.moreBefore, moreAfter: page.moreAfter };
  }
  const windows = new Map(state.windows);
  windows.set(parent, win);
  return { ...state, rows, windows, listedUnder };
}

/** Keeps the selection on a visible row and the selected row on screen. */
function settle(state: TreeState, visible: VisibleRow[] = flattenTree(state)): TreeState {
  if (visible.length === 0) return { ...state, selected: null, top: 0 };
  let index = state.selected === null ? -1 : visible.findIndex((r) => r.key === state.selected);
  let selected = state.selected;
  if (index === -1) {
    index = 0;
    selected = (visible[0] as VisibleRow).key;
  }
  let top = Math.min(state.top, Math.max(0, visible.length - state.height));
  if (index < top) top = index;
  if (index >= top + state.height) top = index - state.height + 1;
  return { ...state, selected, top: Math.max(0, top) };
}

/** The nearest ancestor (through listedUnder) that is still visible, for a selection hidden by a collapse. */
function visibleAncestorKey(state: TreeState, id: number, visible: VisibleRow[]): string | null {
  let cur: number | undefined = id;
  const keys = new Set(visible.map((r) => r.key));
  for (let guard = 0; cur !== undefined && cur !== ROOTS && guard < 10_000; guard++) {
    if (keys.has(processKey(cur))) return processKey(cur);
    cur = state.listedUnder.get(cur);
  }
  return null;
}

export function treeReducer(state: TreeState, action: TreeAction): TreeState {
  switch (action.type) {
    case 'open-scope': {
      const fresh = withPage({ ...initialTreeState(state.height), scope: action.scope }, ROOTS, action.roots, 'replace');
      return settle(fresh);
    }
    case 'page-loaded':
      return settle(withPage(state, action.parent, action.page, action.mode));
    case 'expand': {
      if (state.expanded.has(action.id)) return state;
      const expanded = new Set(state.expanded);
      expanded.add(action.id);
      return settle({ ...state, expanded });
    }
    case 'collapse': {
      if (!state.expanded.has(action.id)) return state;
      const expanded = new Set(state.expanded);
      expanded.delete(action.id);
      const next = { ...state, expanded };
      const visible = flattenTree(next);
      const sel = selectedProcessId(state);
      const selected = visible.some((r) => r.key === state.selected)
        ? state.selected
        : sel !== null
          ? visibleAncestorKey(next, sel, visible)
          : processKey(action.id);
      return settle({ ...next, selected }, visible);
    }
    case 'collapse-all': {
      const next = { ...state, expanded: new Set<number>() };
      const visible = flattenTree(next);
      const sel = selectedProcessId(state);
      return settle({ ...next, selected: sel === null ? null : visibleAncestorKey(next, sel, visible), top: 0 }, visible);
    }
    case 'move':
    case 'move-edge': {
      const visible = flattenTree(state);
      if (visible.length === 0) return state;
      const cur = Math.max(
        0,
        visible.findIndex((r) => r.key === state.selected),
      );
      const target = action.type === 'move' ? Math.min(visible.length - 1, Math.max(0, cur + action.delta)) : action.edge === 'first' ? 0 : visible.length - 1;
      return settle({ ...state, selected: (visible[target] as VisibleRow).key, focusExecId: null }, visible);
    }
    case 'select-process':
      return settle({ ...state, selected: processKey(action.id), focusExecId: action.focusExecId ?? null });
    case 'select-parent': {
      const id = selectedProcessId(state);
      const parent = id === null ? undefined : state.listedUnder.get(id);
      if (parent === undefined || parent === ROOTS) return state;
      return settle({ ...state, selected: processKey(parent), focusExecId: null });
    }
    case 'select-sibling': {
      const id = selectedProcessId(state);
      if (id === null) return state;
      const win = state.windows.get(state.listedUnder.get(id) ?? ROOTS);
      const i = win ? win.ids.indexOf(id) : -1;
      const next = win?.ids[i + action.direction];
      if (i === -1 || next === undefined) return state;
      return settle({ ...state, selected: processKey(next), focusExecId: null });
    }
    case 'viewport':
      return settle({ ...state, height: Math.max(1, action.height) });
    case 'batch':
      return action.actions.reduce(treeReducer, state);
  }
}
