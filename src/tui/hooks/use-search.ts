import { useCallback } from 'react';
import type { CaseSource } from '../data/case-source.js';
import { QueryCancelled } from '../../db/read-query-runner.js';
import { SEARCH_PAGE, searchPid, substringSearchSql } from '../data/search-query.js';
import {
  currentMatch,
  initialSearchState,
  needsNextPage,
  searchReducer,
  type ExecHit,
  type SearchAction,
  type SearchMatch,
  type SearchState,
} from '../state/search-state.js';
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
 * `/` search, in the tree's host or container or (Tab in the prompt) the whole case. A pid is
 * looked up at once through its index; the name and command-line substring scan runs on the
 * query worker a page at a time (SEARCH_PAGE execs, by keyset), so the screen stays live, Esc
 * cancels it, and `n` past the last match loaded reads the next page. Each match shown is
 * opened in the tree (in its own container or host tree when it is outside the open one).
 */
export function useSearch(source: CaseSource, tree: TreeController): SearchModel {
  const [state, dispatch, get] = useStore(searchReducer, () => initialSearchState);

  const show = useCallback(
    (m: SearchMatch | null) => {
      if (m) tree.reveal(m.processId, m.execId);
    },
    [tree],
  );

  /** Reads the page after `after` on the worker; `first` adds the pid matches in front. */
  const readPage = useCallback(
    (query: string, wholeCase: boolean, after: number | null, pidHits: ExecHit[]) => {
      const scope = wholeCase ? null : tree.get().scope;
      const { sql, params } = substringSearchSql(query, scope, after);
      source.runQuery(sql, params, SEARCH_PAGE).then(
        (res) => {
          const hits = res.rows.map((row) => ({ execId: Number(row[0]), processId: Number(row[1]) }));
          const last = hits[hits.length - 1]?.execId ?? after;
          const seen = new Set(pidHits.map((h) => h.execId));
          dispatch({
            type: 'results',
            query,
            hits: [...pidHits, ...hits.filter((h) => !seen.has(h.execId))],
            more: res.truncated,
            after: last,
            append: after !== null,
          });
          show(currentMatch(get()));
        },
        (err: unknown) => {
          if (err instanceof QueryCancelled) return;
          dispatch({ type: 'failed', query, error: err instanceof Error ? err.message : String(err) });
        },
      );
    },
    [dispatch, get, show, source, tree],
  );

  const submit = useCallback(() => {
    dispatch({ type: 'submit' });
    const s = get();
    const scope = tree.get().scope;
    if (s.phase !== 'running' || (!scope && !s.wholeCase)) return;
    const pid = searchPid(s.query);
    readPage(s.query, s.wholeCase, null, pid === null ? [] : source.pidMatches(pid, s.wholeCase ? null : scope));
  }, [dispatch, get, readPage, source, tree]);

  const step = useCallback(
    (direction: 1 | -1) => {
      const s = get();
      if (needsNextPage(s, direction)) {
        dispatch({ type: 'loading-more' });
        readPage(s.query, s.wholeCase, s.after, []);
        return;
      }
      dispatch({ type: 'step', direction });
      show(currentMatch(get()));
    },
    [dispatch, get, readPage, show],
  );

  const cancel = useCallback(() => {
    const s = get();
    if (s.phase === 'running' || s.loading) source.cancelQuery();
    dispatch({ type: 'cancel' });
  }, [dispatch, get, source]);

  return { state, get, dispatch, submit, step, cancel };
}

export function searchStatus(s: SearchState, scopeLabel: string): string {
  const where = s.wholeCase ? 'the whole case' : scopeLabel;
  switch (s.phase) {
    case 'idle':
      return '';
    case 'typing':
      return `/${s.input.text.slice(0, s.input.cursor)}▏${s.input.text.slice(s.input.cursor)}   (name, command line or pid in ${where} · Tab: search ${s.wholeCase ? scopeLabel : 'the whole case'} · Enter search · Esc cancel)`;
    case 'running':
      return `searching "${s.query}" in ${where}… (Esc cancels)`;
    case 'failed':
      return `search failed: ${s.error ?? ''}`;
    case 'done':
      return s.matches.length === 0
        ? `"${s.query}": no match in ${where}`
        : `"${s.query}": match ${s.index + 1}/${s.matches.length}${s.more ? '+' : ''}${s.wholeCase ? ' in the whole case' : ''}${imagesNote(currentMatch(s))}${s.loading ? ' · reading more…' : ''} (n next · N previous)`;
  }
}

/** A line whose process matched in several images says so (the detail pane lists them). */
function imagesNote(m: SearchMatch | null): string {
  return m && m.images > 1 ? ` · ${m.images} of this process's images match` : '';
}
