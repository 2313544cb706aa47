import { useCallback, useMemo } from 'react';
import type { CaseSource } from '../data/case-source.js';
import type { ProcessList } from '../data/process-pages.js';
import { scopeStartIndex } from '../data/scopes.js';
import type { TreeScope } from '../data/types.js';
import { ROOTS, flattenTree, type VisibleRow } from '../state/tree-rows.js';
import { initialTreeState, selectedProcessId, treeReducer, type TreeAction, type TreeState } from '../state/tree-state.js';
import { useStore } from './use-store.js';

/** Siblings loaded per page: enough to fill a tall terminal, small enough to stay instant. */
const TREE_PAGE = 100;
/** At most this many parents are opened automatically when a tree is first shown. */
const AUTO_EXPAND_CAP = 40;

export interface TreeController {
  state: TreeState;
  get(): TreeState;
  visible: VisibleRow[];
  dispatch: (a: TreeAction) => void;
  openScope(scope: TreeScope): void;
  expandSelected(): void;
  collapseOrParent(): void;
  activateSelected(): void;
  /** Opens the tree down to a process (switching scope if it is not in this one) and selects it. */
  reveal(processId: number, execId: number | null): boolean;
  /** Reads every loaded page again (the case changed): open parents stay open, the selection stays. */
  reload(): void;
}

/**
 * The tree's data flow: every action that needs rows loads one bounded page through the
 * source, then hands the page to the pure reducer.
 */
export function useTreeController(source: CaseSource): TreeController {
  const [state, dispatch, get] = useStore(treeReducer, () => initialTreeState());
  // biome-ignore lint/correctness/useExhaustiveDependencies: the flat list depends only on these three parts of the state
  const visible = useMemo(() => flattenTree(state), [state.rows, state.windows, state.expanded]);

  const listOf = useCallback(
    (parent: number): ProcessList => {
      const scope = get().scope;
      if (parent === ROOTS && scope) return { kind: 'roots', scope };
      return { kind: 'children', parentProcessId: parent };
    },
    [get],
  );

  const loadChildren = useCallback(
    (id: number): TreeAction[] => {
      const row = get().rows.get(id);
      if (!row || row.childCount === 0 || get().windows.has(id)) return [];
      return [{ type: 'page-loaded', parent: id, page: source.processes(listOf(id), { after: null }, TREE_PAGE), mode: 'replace' }];
    },
    [get, listOf, source],
  );

  const openScope = useCallback(
    (scope: TreeScope) => {
      const s0 = get();
      if (s0.scope && JSON.stringify(s0.scope) === JSON.stringify(scope)) return;
      dispatch({ type: 'open-scope', scope, roots: source.processes({ kind: 'roots', scope }, { after: null }, TREE_PAGE) });
      // Open the first levels breadth-first while they fit the pane, so the first screen shows a tree.
      const queue = [...(get().windows.get(ROOTS)?.ids ?? [])];
      for (let opened = 0; queue.length > 0 && opened < AUTO_EXPAND_CAP; ) {
        const id = queue.shift() as number;
        const row = get().rows.get(id);
        if (!row || row.childCount === 0) continue;
        const page = source.processes({ kind: 'children', parentProcessId: id }, { after: null }, TREE_PAGE);
        if (flattenTree(get()).length + page.items.length > get().height - 1) break;
        dispatch({
          type: 'batch',
          actions: [
            { type: 'page-loaded', parent: id, page, mode: 'replace' },
            { type: 'expand', id },
          ],
        });
        queue.push(...page.items.map((r) => r.processId));
        opened++;
      }
    },
    [dispatch, get, source],
  );

  const expandSelected = useCallback(() => {
    const id = selectedProcessId(get());
    if (id === null) return;
    dispatch({ type: 'batch', actions: [...loadChildren(id), { type: 'expand', id }] });
  }, [dispatch, get, loadChildren]);

  const collapseOrParent = useCallback(() => {
    const s = get();
    const id = selectedProcessId(s);
    if (id !== null && s.expanded.has(id)) dispatch({ type: 'collapse', id });
    else dispatch({ type: 'select-parent' });
  }, [dispatch, get]);

  const activateSelected = useCallback(() => {
    const s = get();
    const row = flattenTree(s).find((r) => r.key === s.selected);
    if (!row) return;
    if (row.kind === 'process') {
      if (s.expanded.has(row.id)) dispatch({ type: 'collapse', id: row.id });
      else dispatch({ type: 'batch', actions: [...loadChildren(row.id), { type: 'expand', id: row.id }] });
      return;
    }
    const win = s.windows.get(row.parent);
    if (!win || win.ids.length === 0) return;
    const after = row.side === 'after';
    const page = source.processes(listOf(row.parent), after ? { after: win.ids[win.ids.length - 1] as number } : { before: win.ids[0] as number }, TREE_PAGE);
    const first = after ? page.items[0] : page.items[page.items.length - 1];
    const actions: TreeAction[] = [{ type: 'page-loaded', parent: row.parent, page, mode: after ? 'append' : 'prepend' }];
    if (first) actions.push({ type: 'select-process', id: first.processId });
    dispatch({ type: 'batch', actions });
  }, [dispatch, get, listOf, loadChildren, source]);

  const reveal = useCallback(
    (processId: number, execId: number | null): boolean => {
      const path = source.processPath(processId);
      const target = path[path.length - 1];
      if (!target) return false;
      let scope = get().scope;
      let start = scope ? scopeStartIndex(scope, path) : -1;
      if (!scope || start === -1) {
        scope = source.scopeOfProcess(target);
        start = scopeStartIndex(scope, path);
        if (start === -1) {
          // The process's own container tree starts above it only if it has an entry point; else its host tree.
          scope = source.hostScope(target.hostId);
          start = 0;
        }
        dispatch({ type: 'open-scope', scope, roots: source.processes({ kind: 'roots', scope }, { after: null }, TREE_PAGE) });
      }
      const actions: TreeAction[] = [];
      const ensureListed = (parent: number, childId: number): void => {
        const win = get().windows.get(parent);
        if (win?.ids.includes(childId)) return;
        let page = win ? null : source.processes(listOf(parent), { after: null }, TREE_PAGE);
        if (!page?.items.some((r) => r.processId === childId)) page = source.processes(listOf(parent), { from: childId }, TREE_PAGE);
        actions.push({ type: 'page-loaded', parent, page, mode: 'replace' });
      };
      const first = path[start];
      if (!first) return false;
      ensureListed(ROOTS, first.processId);
      for (let i = start; i < path.length - 1; i++) {
        const parent = (path[i] as { processId: number }).processId;
        ensureListed(parent, (path[i + 1] as { processId: number }).processId);
        actions.push({ type: 'expand', id: parent });
      }
      actions.push({ type: 'select-process', id: target.processId, focusExecId: execId !== null && execId !== target.execId ? execId : null });
      dispatch({ type: 'batch', actions });
      return true;
    },
    [dispatch, get, listOf, source],
  );

  const reload = useCallback(() => {
    const s = get();
    if (!s.scope) return;
    const actions: TreeAction[] = [];
    for (const [parent, win] of s.windows) {
      const first = win.ids[0];
      const cursor = first !== undefined && win.moreBefore ? { from: first } : { after: null };
      actions.push({ type: 'page-loaded', parent, page: source.processes(listOf(parent), cursor, Math.max(TREE_PAGE, win.ids.length)), mode: 'replace' });
    }
    dispatch({ type: 'batch', actions });
  }, [dispatch, get, listOf, source]);

  return { state, get, visible, dispatch, openScope, expandSelected, collapseOrParent, activateSelected, reveal, reload };
}
