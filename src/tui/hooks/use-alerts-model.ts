import { useCallback, useState } from 'react';
import type { CaseSource } from '../data/case-source.js';
import { PRIORITIES } from '../data/priority.js';
import type { AlertRow } from '../data/types.js';
import { emptyLine, lineEditReducer, type LineEdit, type LineEditAction } from '../state/line-edit.js';
import type { ListAction, ListState } from '../state/list-state.js';
import { usePagedList } from './use-paged-list.js';
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
/** `version` changes when the case is reloaded: the list is read again from its first page. */
export function useAlertsModel(source: CaseSource, height: number, enabled: boolean, version: number): AlertsModel {
  const [query, setQuery] = useState<{ text: string; maxRank: number }>({ text: '', maxRank: PRIORITIES.length });
  const load = useCallback((loaded: readonly AlertRow[], limit: number) => source.alerts(query, loaded.length, limit), [query, source]);
  const paged = usePagedList({ key: `${version}\0${query.maxRank}\0${query.text}`, enabled, height, pageSize: ALERT_PAGE, load });
  const [filter, setFilter, getFilter] = useSyncState<LineEdit>(emptyLine);
  const [filterTyping, setFilterTyping, getFilterTyping] = useSyncState(false);

  return {
    alerts: paged.items,
    more: paged.more,
    list: paged.list,
    filter,
    filterTyping,
    isFilterTyping: getFilterTyping,
    maxRank: query.maxRank,
    move: paged.move,
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
        paged.move({ type: 'set-cursor', cursor: 0 });
      }
    },
    cyclePriority: () => {
      setQuery((q) => ({ ...q, maxRank: q.maxRank === 0 ? PRIORITIES.length : q.maxRank - 1 }));
      paged.move({ type: 'set-cursor', cursor: 0 });
    },
    selected: paged.selected,
  };
}

export function minPriorityLabel(maxRank: number): string {
  return PRIORITIES[maxRank] ?? 'any';
}
