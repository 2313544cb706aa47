import { useCallback, useMemo, useState } from 'react';
import type { CaseSource } from '../data/case-source.js';
import type { CaseCounts, CaseSummary, ContainerSummary } from '../data/types.js';
import { overviewLines, type OverviewLine } from '../format/overview-lines.js';
import { useSyncState } from './use-sync-state.js';

const CONTAINER_PAGE = 100;

export interface OverviewModel {
  lines: OverviewLine[];
  /** Index into `lines` of the selected line (always a selectable one when any exists). */
  selectedLine: number;
  /** The selected line as of the last key (between renders). */
  currentLine(): number;
  move(delta: number): void;
  loadMore(): void;
}

/** `version` changes when the case is reloaded: the containers loaded so far are read again. */
export function useOverviewModel(source: CaseSource, summary: CaseSummary, counts: CaseCounts | null, version: number): OverviewModel {
  const [loaded, setContainers] = useState<{ version: number; items: ContainerSummary[]; more: boolean }>(() => {
    const page = source.containers(0, CONTAINER_PAGE);
    return { version, items: page.items, more: page.moreAfter };
  });
  let containers = loaded;
  if (loaded.version !== version) {
    const page = source.containers(0, Math.max(CONTAINER_PAGE, loaded.items.length));
    containers = { version, items: page.items, more: page.moreAfter };
    setContainers(containers);
  }
  const lines = useMemo(() => overviewLines(summary, counts, containers.items, containers.more), [summary, counts, containers]);
  const selectable = useMemo(() => lines.flatMap((l, i) => (l.target ? [i] : [])), [lines]);
  // Start on the first container: the usual way into a case is through its containers.
  const firstContainer = lines.findIndex((l) => l.target?.kind === 'container');
  const [cursor, setCursor, getCursor] = useSyncState(() => Math.max(0, selectable.indexOf(firstContainer)));
  const c = Math.min(cursor, Math.max(0, selectable.length - 1));

  const move = useCallback((delta: number) => setCursor((cur) => Math.min(selectable.length - 1, Math.max(0, cur + delta))), [selectable.length, setCursor]);
  const selectedLine = (): number => selectable[Math.min(getCursor(), Math.max(0, selectable.length - 1))] ?? -1;
  const loadMore = useCallback(() => {
    const page = source.containers(containers.items.length, CONTAINER_PAGE);
    setContainers({ version: containers.version, items: [...containers.items, ...page.items], more: page.moreAfter });
  }, [containers, source]);

  return { lines, selectedLine: selectable[c] ?? -1, currentLine: selectedLine, move, loadMore };
}
