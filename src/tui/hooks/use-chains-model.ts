import { useCallback, useMemo, useState } from 'react';
import type { CaseSource } from '../data/case-source.js';
import { tableLines } from '../format/table-text.js';

const CHAIN_PAGE = 200;

export interface ChainsModel {
  table: { header: string; rule: string; rows: string[] } | null;
  cursor: number;
  top: number;
  move(delta: number): void;
  /** The exec the selected chain row jumps to, or null. */
  selectedExecId(): number | null;
}

/** The chains table, when the case has one (rows as the rule commands wrote them). */
export function useChainsModel(source: CaseSource, enabled: boolean, height: number): ChainsModel {
  const page = useMemo(() => (enabled ? source.chains(0, CHAIN_PAGE) : null), [enabled, source]);
  const table = useMemo(() => (page ? tableLines({ columns: page.columns, rows: page.items, truncated: page.moreAfter }) : null), [page]);
  const [cursor, setCursor] = useState(0);
  const rows = page?.items.length ?? 0;
  const h = Math.max(1, height - 2);
  const top = cursor < h ? 0 : cursor - h + 1;
  const move = useCallback((delta: number) => setCursor((c) => Math.min(Math.max(0, rows - 1), Math.max(0, c + delta))), [rows]);
  return {
    table, cursor, top, move,
    selectedExecId: () => {
      const row = page?.items[cursor];
      if (!page || !row || page.jumpColumn === -1) return null;
      const v = row[page.jumpColumn];
      return v === null || v === undefined ? null : Number(v);
    },
  };
}
