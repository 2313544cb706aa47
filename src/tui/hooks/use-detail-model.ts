import { useCallback, useMemo, useState } from 'react';
import type { CaseSource } from '../data/case-source.js';
import type { ExecDetail } from '../data/types.js';
import { detailLines, type DetailLine } from '../format/detail-lines.js';
import type { TimeText } from '../format/times.js';
import { useSyncState } from './use-sync-state.js';

export interface DetailModel {
  lines: DetailLine[];
  top: number;
  /** Ancestry step selected (0 = root), or null when no chain is loaded. */
  step: number | null;
  stepCount: number;
  shownExecId: number | null;
  /** Exec of the selected ancestry step. */
  stepExecId: number | null;
  stepProcessId: number | null;
  moveStep(delta: number): void;
  scroll(delta: number): void;
  toggleEnv(): void;
}

/**
 * The detail pane's data: the tree's exec with its ancestry chain, and (while the user walks
 * the chain) the fields of the selected step. Each is a few indexed lookups, loaded when the
 * selection changes.
 */
export function useDetailModel(
  source: CaseSource,
  treeExecId: number | null,
  walking: boolean,
  width: number,
  height: number,
  /** Changes when the case is reloaded: the exec is read again. */
  version: number,
  /** How times are printed (`--time-format`, `--tz`). */
  time: TimeText,
): DetailModel {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version reads the exec again
  const base = useMemo(() => (treeExecId === null ? undefined : source.execDetail(treeExecId)), [source, treeExecId, version]);
  const chain = base?.ancestry ?? [];
  const [stepState, setStepState] = useSyncState<{ execId: number | null; step: number }>({ execId: null, step: 0 });
  const step = stepState.execId === treeExecId ? stepState.step : Math.max(0, chain.length - 1);
  const stepExec = chain[step];
  const shownExecId = walking && stepExec ? stepExec.execId : treeExecId;
  const shown: ExecDetail | undefined = useMemo(
    () => (shownExecId === treeExecId ? base : shownExecId === null ? undefined : source.execDetail(shownExecId)),
    [base, shownExecId, source, treeExecId],
  );
  const [envFor, setEnvFor] = useState<{ execId: number; env: string[] } | null>(null);
  const env = envFor && envFor.execId === shownExecId ? envFor.env : null;
  const [scrollState, setScrollState] = useState<{ execId: number | null; top: number }>({ execId: null, top: 0 });

  const lines = useMemo(
    () => (shown ? detailLines(shown, chain, { width, selectedStep: walking ? step : null, env, time }) : [{ text: '(nothing selected)' }]),
    [shown, chain, width, walking, step, env, time],
  );
  // `top` scrolls the lines below the first one (the pane keeps that one in place).
  const bodyHeight = Math.max(1, height - 1);
  let top = scrollState.execId === shownExecId ? scrollState.top : 0;
  if (walking) {
    // Keep the selected step (and, when it fits, the whole chain) on screen.
    const stepLine = lines.findIndex((l) => l.step === step) - 1;
    const headingLine = lines.findIndex((l) => l.heading && l.text.startsWith('Ancestry')) - 1;
    if (stepLine >= 0) {
      if (stepLine >= top + bodyHeight) top = stepLine - bodyHeight + 1;
      if (stepLine < top) top = stepLine;
      if (headingLine >= 0 && stepLine - headingLine < bodyHeight && headingLine < top) top = headingLine;
    }
  }
  top = Math.max(0, Math.min(top, lines.length - 2));

  const moveStep = useCallback(
    (delta: number) => {
      if (chain.length === 0) return;
      const last = chain.length - 1;
      setStepState((prev) => {
        const from = prev.execId === treeExecId ? prev.step : last;
        return { execId: treeExecId, step: Math.min(last, Math.max(0, from + delta)) };
      });
    },
    [chain.length, setStepState, treeExecId],
  );
  const scroll = useCallback(
    (delta: number) => {
      setScrollState({ execId: shownExecId, top: Math.max(0, Math.min(lines.length - 2, top + delta)) });
    },
    [lines.length, shownExecId, top],
  );
  const toggleEnv = useCallback(() => {
    if (shownExecId === null) return;
    setEnvFor(env ? null : { execId: shownExecId, env: source.env(shownExecId) });
  }, [env, shownExecId, source]);

  return {
    lines,
    top,
    step: chain.length > 0 ? step : null,
    stepCount: chain.length,
    shownExecId,
    stepExecId: stepExec?.execId ?? null,
    stepProcessId: stepExec?.processId ?? null,
    moveStep,
    scroll,
    toggleEnv,
  };
}
