import { useCallback, useRef } from 'react';
import type { CaseSource } from '../data/case-source.js';
import type { ChainMatchRow, ChainStepRow, Page } from '../data/types.js';
import type { ListState } from '../state/list-state.js';
import { usePagedList } from './use-paged-list.js';
import { useSyncState } from './use-sync-state.js';

const CHAIN_PAGE = 200;
const NO_STEPS: Page<ChainStepRow> = { items: [], moreBefore: false, moreAfter: false };

export interface ChainsModel {
  /** The case has the chain tables. */
  available: boolean;
  matches: ChainMatchRow[];
  more: boolean;
  list: ListState;
  /** Steps of the selected match. */
  steps: Page<ChainStepRow>;
  /** Index into `steps.items` of the step cursor. */
  step: number;
  move(delta: number): void;
  /** Moves the step cursor, stopping at the ends; `wrap` goes round instead. */
  moveStep(delta: number, wrap?: boolean): void;
  /** The exec Enter jumps to: the selected step's, else the one that completed the match. */
  selectedExecId(): number | null;
}

/**
 * Chain matches by start time, a page at a time, and the steps of the selected one. The step
 * cursor belongs to a match: moving to another match starts again at its first step.
 */
/** `version` changes when the case is reloaded: matches and steps are read again. */
export function useChainsModel(source: CaseSource, available: boolean, enabled: boolean, height: number, version: number): ChainsModel {
  const load = useCallback(
    (loaded: readonly ChainMatchRow[], limit: number) => {
      const last = loaded[loaded.length - 1];
      return source.chainMatches(last ? { startNs: last.startNs, matchId: last.matchId } : null, limit);
    },
    [source],
  );
  const paged = usePagedList({ key: `chains ${version}`, enabled: enabled && available, height, pageSize: CHAIN_PAGE, load });
  const [stepSel, setStepSel, getStepSel] = useSyncState<{ matchId: number | null; step: number }>({ matchId: null, step: 0 });

  // The last match's steps, shared by the render and the key handlers (which may run before it).
  const loaded = useRef<{ version: number; matchId: number; steps: Page<ChainStepRow> } | null>(null);
  const stepsOf = useCallback(
    (m: ChainMatchRow | undefined): Page<ChainStepRow> => {
      if (!m) return NO_STEPS;
      if (loaded.current?.matchId !== m.matchId || loaded.current.version !== version)
        loaded.current = { version, matchId: m.matchId, steps: source.chainSteps(m.matchId) };
      return loaded.current.steps;
    },
    [source, version],
  );
  const stepOf = (m: ChainMatchRow | undefined, sel: { matchId: number | null; step: number }): number => (m && sel.matchId === m.matchId ? sel.step : 0);

  const selected = paged.items[paged.list.cursor];
  return {
    available,
    matches: paged.items,
    more: paged.more,
    list: paged.list,
    steps: stepsOf(selected),
    step: stepOf(selected, stepSel),
    move: (delta) => paged.move({ type: 'move', delta }),
    moveStep: (delta, wrap = false) => {
      const m = paged.selected();
      const n = stepsOf(m).items.length;
      if (!m || n === 0) return;
      const at = stepOf(m, getStepSel()) + delta;
      const step = wrap ? ((at % n) + n) % n : Math.min(n - 1, Math.max(0, at));
      setStepSel({ matchId: m.matchId, step });
    },
    selectedExecId: () => {
      const m = paged.selected();
      if (!m) return null;
      return stepsOf(m).items[stepOf(m, getStepSel())]?.execId ?? m.lastExecId;
    },
  };
}
