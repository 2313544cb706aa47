import { useCallback, useRef, useState } from 'react';
import type { Page } from '../data/types.js';
import { initialListState, listReducer, type ListAction, type ListState } from '../state/list-state.js';
import { useStore } from './use-store.js';

export interface PagedList<T> {
  items: T[];
  more: boolean;
  list: ListState;
  move(a: ListAction): void;
  selected(): T | undefined;
}

interface Loaded<T> {
  key: string;
  items: T[];
  more: boolean;
}

const EMPTY: Loaded<never> = { key: '', items: [], more: false };

/**
 * A list read one page at a time, the next page loaded when the cursor reaches the last row.
 * `key` names the query: a new key starts again from the first page. `load` gets the rows
 * loaded so far (for an offset or a keyset cursor). Nothing is read until `enabled`.
 */
export function usePagedList<T>(opts: {
  key: string;
  enabled: boolean;
  height: number;
  pageSize: number;
  load: (loaded: readonly T[], limit: number) => Page<T>;
}): PagedList<T> {
  const { key, enabled, height, pageSize, load } = opts;
  const [pages, setPages] = useState<Loaded<T> | null>(null);
  let data: Loaded<T> = pages && pages.key === key ? pages : EMPTY;
  if (data === EMPTY && enabled) {
    const page = load([], pageSize);
    data = { key, items: page.items, more: page.moreAfter };
    // Kept in state so the list (and its cursor) survives leaving the screen and coming back.
    setPages(data);
  }
  // Keys that arrive before the next render read (and extend) the latest rows, not this render's.
  const latest = useRef(data);
  latest.current = data;
  const [list, dispatchList, getList] = useStore(listReducer, () => initialListState(0, height));
  if (list.count !== data.items.length) dispatchList({ type: 'count', count: data.items.length });
  if (list.height !== height) dispatchList({ type: 'viewport', height });

  const move = useCallback(
    (a: ListAction) => {
      dispatchList(a);
      const now = latest.current;
      if (now.more && getList().cursor >= now.items.length - 1) {
        const page = load(now.items, pageSize);
        const next = { key: now.key, items: [...now.items, ...page.items], more: page.moreAfter };
        latest.current = next;
        setPages(next);
        dispatchList({ type: 'count', count: next.items.length });
      }
    },
    [dispatchList, getList, load, pageSize],
  );

  return {
    items: data.items,
    more: data.more,
    list: getList(),
    move,
    selected: () => latest.current.items[getList().cursor],
  };
}
