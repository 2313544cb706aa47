import { useCallback, useMemo, useState } from 'react';
import type { CaseSource } from '../data/case-source.js';
import { PRIORITIES } from '../data/priority.js';
import type { AlertRow } from '../data/types.js';
import { emptyLine, lineEditReducer, type LineEdit, type LineEditAction } from '../state/line-edit.js';
import { initialListState, listReducer, type ListAction, type ListState } from '../state/list-state.js';
import { useStore } from './use-store.js';
import { useSyncState } from './use-sync-state.js';

const ALERT_PAGE = 200;

export interface AlertsModel {
  alerts: AlertRow[];
  more: boolean;
  list: ListState;
  filter: LineEdit;
  filterTyping: boolean;
  isFilterTyping(): boolean;
  /** Index into PRIORITIES of the least severe priority shown; PRIORITIES.length = all. */
  maxRank: number;
  move(a: ListAction): void;
  startFilter(): void;
  editFilter(a: LineEditAction): void;
  endFilter(apply: boolean): void;
  cyclePriority(): void;
  selected(): AlertRow | undefined;
}

/**
 * The alerts list: one page at a time, the next loaded when the cursor reaches the end.
 * Nothing is read until the alerts screen is first shown (`enabled`).
 */
export function useAlertsModel(source: CaseSource, height: number, enabled: boolean): AlertsModel {
  const [query, setQuery] = useState<{ text: string; maxRank: number }>({ text: '', maxRank: PRIORITIES.length });
  const [pages, setPages] = useState<{ key: string; items: AlertRow[]; more: boolean } | null>(null);
  const key = `${query.maxRank}\0${query.text}`;
  const data = useMemo(() => {
    if (pages && pages.key === key) return pages;
    if (!enabled) return { key: '', items: [] as AlertRow[], more: false };
    const page = source.alerts(query, 0, ALERT_PAGE);
    return { key, items: page.items, more: page.moreAfter };
  }, [enabled, key, pages, query, source]);
  const [list, dispatchList, getList] = useStore(listReducer, () => initialListState(0, height));
  if (list.count !== data.items.length) dispatchList({ type: 'count', count: data.items.length });
  if (list.height !== height) dispatchList({ type: 'viewport', height });
  const [filter, setFilter, getFilter] = useSyncState<LineEdit>(emptyLine);
  const [filterTyping, setFilterTyping, getFilterTyping] = useSyncState(false);

  const move = useCallback((a: ListAction) => {
    dispatchList(a);
    const l = getList();
    if (data.more && l.cursor >= data.items.length - 1) {
      const page = source.alerts(query, data.items.length, ALERT_PAGE);
      setPages({ key, items: [...data.items, ...page.items], more: page.moreAfter });
    }
  }, [data, dispatchList, getList, key, query, source]);

  return {
    alerts: data.items,
    more: data.more,
    list: getList(),
    filter,
    filterTyping,
    isFilterTyping: getFilterTyping,
    maxRank: query.maxRank,
    move,
    startFilter: () => {
      setFilter({ text: query.text, cursor: query.text.length });
      setFilterTyping(true);
    },
    editFilter: (a) => setFilter((f) => lineEditReducer(f, a)),
    endFilter: (apply) => {
      setFilterTyping(false);
      if (apply) {
        const text = getFilter().text.trim();
        setQuery((q) => ({ ...q, text }));
        dispatchList({ type: 'set-cursor', cursor: 0 });
      }
    },
    cyclePriority: () => {
      setQuery((q) => ({ ...q, maxRank: q.maxRank === 0 ? PRIORITIES.length : q.maxRank - 1 }));
      dispatchList({ type: 'set-cursor', cursor: 0 });
    },
    selected: () => data.items[getList().cursor],
  };
}

export function minPriorityLabel(maxRank: number): string {
  return PRIORITIES[maxRank] ?? 'any';
}
