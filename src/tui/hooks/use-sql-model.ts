import { useCallback, useMemo, useState } from 'react';
import type { CaseSource } from '../data/case-source.js';
import { QueryCancelled } from '../../db/read-query-runner.js';
import type { TableResult } from '../data/types.js';
import { tableLines } from '../format/table-text.js';
import { emptyLine, lineEditReducer, type LineEdit, type LineEditAction } from '../state/line-edit.js';
import { initialListState, listReducer, type ListAction, type ListState } from '../state/list-state.js';
import { useStore } from './use-store.js';
import { useSyncState } from './use-sync-state.js';

const SQL_ROW_LIMIT = 500;
const HISTORY_CAP = 50;

export interface SqlModel {
  input: LineEdit;
  inputFocused: boolean;
  isInputFocused(): boolean;
  running: boolean;
  status: string;
  table: { header: string; rule: string; rows: string[] } | null;
  list: ListState;
  left: number;
  edit(a: LineEditAction): void;
  run(): void;
  cancel(): void;
  focusInput(focused: boolean): void;
  move(a: ListAction): void;
  scrollSideways(delta: number): void;
  history(direction: 1 | -1): void;
}

/** The SQL prompt: user SQL runs on the worker (read-only, at most SQL_ROW_LIMIT rows). */
export function useSqlModel(source: CaseSource, height: number): SqlModel {
  // An empty prompt: text typed is the query, never appended to an example (the status shows one).
  const [input, setInput, getInput] = useSyncState<LineEdit>(emptyLine);
  const [inputFocused, setInputFocused, getInputFocused] = useSyncState(true);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<(TableResult & { elapsedMs: number }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [left, setLeft] = useState(0);
  const [past, setPast] = useState<{ items: string[]; at: number }>({ items: [], at: -1 });
  const [list, dispatchList, getList] = useStore(listReducer, () => initialListState(0, Math.max(1, height - 4)));
  const rowsHeight = Math.max(1, height - 4);
  if (list.height !== rowsHeight) dispatchList({ type: 'viewport', height: rowsHeight });
  const table = useMemo(() => (result ? tableLines(result) : null), [result]);

  const run = useCallback(() => {
    const sql = getInput().text.trim();
    if (sql === '') return;
    setRunning(true);
    setError(null);
    setPast((p) => ({ items: [sql, ...p.items.filter((x) => x !== sql)].slice(0, HISTORY_CAP), at: -1 }));
    source.runQuery(sql, [], SQL_ROW_LIMIT).then(
      (r) => {
        setRunning(false);
        setResult(r);
        setLeft(0);
        dispatchList({ type: 'count', count: r.rows.length });
        dispatchList({ type: 'set-cursor', cursor: 0 });
        // Focus stays in the prompt, so the next query typed is text, not hotkeys (Tab: results).
      },
      (err: unknown) => {
        setRunning(false);
        setError(err instanceof QueryCancelled ? 'query cancelled' : `SQL error: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  }, [dispatchList, getInput, source]);

  let status = 'Enter runs the query (read-only), Tab moves to the results; e.g. SELECT name, count(*) AS n FROM spawned_execs GROUP BY name ORDER BY n DESC';
  if (running) status = 'running… (Esc cancels)';
  else if (error) status = error;
  else if (result) {
    status = `${result.rows.length} rows${result.truncated ? ` (stopped at ${SQL_ROW_LIMIT}; add a LIMIT or a WHERE)` : ''} in ${result.elapsedMs.toFixed(1)} ms${getInputFocused() ? ' · Tab: results' : ''}`;
  }

  return {
    input,
    inputFocused,
    isInputFocused: getInputFocused,
    running,
    status,
    table,
    list: getList(),
    left,
    edit: (a) => setInput((s) => lineEditReducer(s, a)),
    run,
    cancel: () => source.cancelQuery(),
    focusInput: setInputFocused,
    move: dispatchList,
    scrollSideways: (delta) => setLeft((l) => Math.max(0, l + delta)),
    history: (direction) => {
      const at = Math.min(past.items.length - 1, Math.max(-1, past.at + (direction === -1 ? 1 : -1)));
      setPast({ ...past, at });
      setInput(lineEditReducer(emptyLine, { type: 'set', text: at === -1 ? '' : (past.items[at] ?? '') }));
    },
  };
}
