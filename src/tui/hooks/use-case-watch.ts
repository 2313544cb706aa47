import { useEffect, useRef } from 'react';
import type { CaseSource } from '../data/case-source.js';

/**
 * Calls `onChange` when another process commits to the case (an import finished), checked
 * every `intervalMs` on a timer, never while rendering: on SQLite PRAGMA data_version is a
 * counter kept in memory (microseconds however big the case is); on PostgreSQL one indexed
 * read of the captures table.
 */
export function useCaseWatch(source: CaseSource, intervalMs: number, onChange: () => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (intervalMs <= 0) return;
    let seen = source.dataVersion();
    const timer = setInterval(() => {
      let now: string;
      try {
        now = source.dataVersion();
      } catch {
        return; // the case is being closed
      }
      if (now !== seen) {
        seen = now;
        latest.current();
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [source, intervalMs]);
}
