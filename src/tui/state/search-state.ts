import { emptyLine, lineEditReducer, type LineEdit, type LineEditAction } from './line-edit.js';

/** An exec whose name or command line matched. */
export interface ExecHit {
  execId: number;
  processId: number;
}

/**
 * One tree line (process) with a match: its first matching image is the one shown, `images`
 * counts its matching images (a process that exec'd twice can match on both).
 */
export interface SearchMatch extends ExecHit {
  images: number;
}

/**
 * The `/` search: typing a query, waiting for the worker, then stepping through matches.
 * A match is a tree line, so `n` always moves to another line. `index` is the match
 * currently shown (-1 before the first).
 */
export interface SearchState {
  phase: 'idle' | 'typing' | 'running' | 'done' | 'failed';
  input: LineEdit;
  query: string;
  matches: SearchMatch[];
  index: number;
  truncated: boolean;
  error: string | null;
}

export type SearchAction =
  | { type: 'open' }
  | { type: 'edit'; edit: LineEditAction }
  | { type: 'cancel' }
  | { type: 'submit' }
  | { type: 'results'; query: string; matches: ExecHit[]; truncated: boolean }
  | { type: 'failed'; query: string; error: string }
  | { type: 'step'; direction: 1 | -1 };

export const initialSearchState: SearchState = {
  phase: 'idle',
  input: emptyLine,
  query: '',
  matches: [],
  index: -1,
  truncated: false,
  error: null,
};

export function searchReducer(s: SearchState, a: SearchAction): SearchState {
  switch (a.type) {
    case 'open':
      return { ...s, phase: 'typing', input: emptyLine };
    case 'edit':
      return s.phase === 'typing' ? { ...s, input: lineEditReducer(s.input, a.edit) } : s;
    case 'cancel':
      return s.phase === 'typing' || s.phase === 'running'
        ? { ...s, phase: s.matches.length > 0 ? 'done' : 'idle', input: emptyLine }
        : { ...initialSearchState };
    case 'submit': {
      const query = s.input.text.trim();
      if (query === '') return { ...initialSearchState };
      return { ...s, phase: 'running', query, matches: [], index: -1, truncated: false, error: null };
    }
    case 'results': {
      if (s.phase !== 'running' || a.query !== s.query) return s; // a stale answer to an older query
      const matches = matchesByLine(a.matches);
      return { ...s, phase: 'done', matches, truncated: a.truncated, index: matches.length > 0 ? 0 : -1 };
    }
    case 'failed':
      return s.phase === 'running' && a.query === s.query ? { ...s, phase: 'failed', error: a.error } : s;
    case 'step': {
      if (s.matches.length === 0) return s;
      const n = s.matches.length;
      return { ...s, index: (((s.index + a.direction) % n) + n) % n };
    }
  }
}

/** One match per process, in the order of its first matching image. */
function matchesByLine(hits: ExecHit[]): SearchMatch[] {
  const byProcess = new Map<number, SearchMatch>();
  for (const h of hits) {
    const line = byProcess.get(h.processId);
    if (line) line.images++;
    else byProcess.set(h.processId, { execId: h.execId, processId: h.processId, images: 1 });
  }
  return [...byProcess.values()];
}

export function currentMatch(s: SearchState): SearchMatch | null {
  return s.index >= 0 ? (s.matches[s.index] ?? null) : null;
}
