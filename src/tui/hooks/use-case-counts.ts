import { useEffect, useState } from 'react';
import type { CaseSource } from '../data/case-source.js';
import type { CaseCounts } from '../data/types.js';

/**
 * The case's process and exec counts, counted on a worker: null until the first answer.
 * Counted again whenever `version` changes (a refresh); the old counts stay up meanwhile.
 */
export function useCaseCounts(source: CaseSource, version: number): CaseCounts | null {
  const [counts, setCounts] = useState<CaseCounts | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version asks for a new count
  useEffect(() => {
    let live = true;
    source.counts().then(
      (c) => {
        if (live) setCounts(c);
      },
      () => {}, // cancelled or closed: the header keeps what it showed
    );
    return () => {
      live = false;
    };
  }, [source, version]);
  return counts;
}
