import { useCallback } from 'react';
import type { CaseSource } from '../data/case-source.js';
import { QueryCancelled } from '../data/query-worker.js';
import { SEARCH_MATCH_CAP, searchPid, substringSearchSql } from '../data/search-query.js';
import { currentMatch, initialSearchState, searchReducer, type SearchAction, type SearchMatch, type SearchState } from '../state/search-state.js';
import type { TreeController } from './use-tree-controller.js';
import { useStore } from './use-store.js';

export interface SearchModel {
  state: SearchState;
  get(): SearchState;
  dispatch: (a: SearchAction) => void;
  submit(): void;
  step(direction: 1 | -1): void;
  cancel(): void;
}

/**
 * `/` search. A pid is looked up at once through its index; the name and command-line
 * substring scan runs on the query worker (it reads every exec of the scope), so the screen
 * stays live and Esc cancels it. Each match shown is opened in the tree.
 */
export function useSearch(source: CaseSource, tree: TreeController): SearchModel {
  const [state, dispatch, get] = useStore(searchReducer, () => initialSearchState);

  const show = useCallback(
    (m: SearchMatch | null) => {
      if (m) tree.reveal(m.processId, m.execId);
    },
    [tree],
  );

  const submit = useCallback(() => {
    dispatch({ type: 'submit' });
    const s = get();
    const scope = tree.get().scope;
    if (s.phase !== 'running' || !scope) return;
    const query = s.query;
    const pid = searchPid(query);
    const byPid = pid === null ? [] : source.pidMatches(pid, scope);
    const { sql, params } = substringSearchSql(query, scope);
    source.runQuery(sql, params, SEARCH_MATCH_CAP).then(
      (res) => {
        const seen = new Set(byPid.map((m) => m.execId));
        const matches = [...byPid];
        for (const row of res.rows) {
          const execId = Number(row[0]);
          if (!seen.has(execId)) matches.push({ execId, processId: Number(row[1]) });
        }
        dispatch({ type: 'results', query, matches: matches.slice(0, SEARCH_MATCH_CAP), truncated: res.truncated });
        show(currentMatch(get()));
      },
      (err: unknown) => {
        if (err instanceof QueryCancelled) return;
        dispatch({ type: 'failed', query, error: err instanceof Error ? err.message : String(err) });
      },
    );
  }, [dispatch, get, show, source, tree]);

  const step = useCallback(
    (direction: 1 | -1) => {
      dispatch({ type: 'step', direction });
      show(currentMatch(get()));
    },
    [dispatch, get, show],
  );

  const cancel = useCallback(() => {
    if (get().phase === 'running') source.cancelQuery();
    dispatch({ type: 'cancel' });
  }, [dispatch, get, source]);

  return { state, get, dispatch, submit, step, cancel };
}

export function searchStatus(s: SearchState, scopeLabel: string): string {
  switch (s.phase) {
    case 'idle':
      return '';
    case 'typing':
      return `/${s.input.text.slice(0, s.input.cursor)}▏${s.input.text.slice(s.input.cursor)}   (name, command line or pid · Enter search · Esc cancel)`;
    case 'running':
      return `searching "${s.query}" in ${scopeLabel}… (Esc cancels)`;
    case 'failed':
      return `search failed: ${s.error ?? ''}`;
    case 'done':
      return s.matches.length === 0
        ? `"${s.query}": no match in ${scopeLabel}`
        : `"${s.query}": match ${s.index + 1}/${s.matches.length}${s.truncated ? '+' : ''}${imagesNote(currentMatch(s))} (n next · N previous)`;
  }
}

/** A line whose process matched in several images says so (the detail pane lists them). */
function imagesNote(m: SearchMatch | null): string {
  return m && m.images > 1 ? ` · ${m.images} of this process's images match` : '';
}
