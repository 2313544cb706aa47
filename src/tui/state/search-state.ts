import { emptyLine, lineEditReducer, type LineEdit, type LineEditAction } from './line-edit.js';

export interface SearchMatch {
  execId: number;
  processId: number;
}

/**
 * The `/` search: typing a query, waiting for the worker, then stepping through matches.
 * `index` is the match currently shown (-1 before the first).
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
  | { type: 'results'; query: string; matches: SearchMatch[]; truncated: boolean }
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
      return { ...s, phase: 'done', matches: a.matches, truncated: a.truncated, index: a.matches.length > 0 ? 0 : -1 };
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

export function currentMatch(s: SearchState): SearchMatch | null {
  return s.index >= 0 ? (s.matches[s.index] ?? null) : null;
}
