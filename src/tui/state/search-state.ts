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
 * A match is a tree line, so `n` always moves to another line. Matches arrive a page at a
 * time: `more` says the worker has more after exec `after`, `loading` that it is reading them.
 * `wholeCase` searches every host and container instead of the tree's (Tab in the prompt).
 * `index` is the match currently shown (-1 before the first).
 */
export interface SearchState {
  phase: 'idle' | 'typing' | 'running' | 'done' | 'failed';
  input: LineEdit;
  query: string;
  wholeCase: boolean;
  matches: SearchMatch[];
  index: number;
  more: boolean;
  after: number | null;
  loading: boolean;
  error: string | null;
}

export type SearchAction =
  | { type: 'open' }
  | { type: 'edit'; edit: LineEditAction }
  | { type: 'toggle-scope' }
  | { type: 'cancel' }
  | { type: 'submit' }
  /** A page of hits in exec order; `after` = the last exec id the page read. */
  | { type: 'results'; query: string; hits: ExecHit[]; more: boolean; after: number | null; append?: boolean }
  | { type: 'loading-more' }
  | { type: 'failed'; query: string; error: string }
  | { type: 'step'; direction: 1 | -1 };

export const initialSearchState: SearchState = {
  phase: 'idle',
  input: emptyLine,
  query: '',
  wholeCase: false,
  matches: [],
  index: -1,
  more: false,
  after: null,
  loading: false,
  error: null,
};

export function searchReducer(s: SearchState, a: SearchAction): SearchState {
  switch (a.type) {
    case 'open':
      return { ...s, phase: 'typing', input: emptyLine };
    case 'edit':
      return s.phase === 'typing' ? { ...s, input: lineEditReducer(s.input, a.edit) } : s;
    case 'toggle-scope':
      return s.phase === 'typing' ? { ...s, wholeCase: !s.wholeCase } : s;
    case 'cancel':
      return s.phase === 'typing' || s.phase === 'running'
        ? { ...s, phase: s.matches.length > 0 ? 'done' : 'idle', input: emptyLine, loading: false }
        : { ...initialSearchState, wholeCase: s.wholeCase };
    case 'submit': {
      const query = s.input.text.trim();
      if (query === '') return { ...initialSearchState, wholeCase: s.wholeCase };
      return { ...s, phase: 'running', query, matches: [], index: -1, more: false, after: null, loading: false, error: null };
    }
    case 'results': {
      if (a.query !== s.query) return s; // a stale answer to an older query
      if (a.append) {
        if (s.phase !== 'done' || !s.loading) return s;
        const matches = withHits(s.matches, a.hits);
        // n asked for this page: show its first new line (or stay when it only added images).
        const index = matches.length > s.matches.length ? s.matches.length : s.index;
        return { ...s, matches, index, more: a.more, after: a.after ?? s.after, loading: false };
      }
      if (s.phase !== 'running') return s;
      const matches = withHits([], a.hits);
      return { ...s, phase: 'done', matches, more: a.more, after: a.after, index: matches.length > 0 ? 0 : -1 };
    }
    case 'loading-more':
      return s.phase === 'done' && s.more ? { ...s, loading: true } : s;
    case 'failed':
      return (s.phase === 'running' || s.loading) && a.query === s.query ? { ...s, phase: 'failed', loading: false, error: a.error } : s;
    case 'step': {
      if (s.matches.length === 0) return s;
      const n = s.matches.length;
      return { ...s, index: (((s.index + a.direction) % n) + n) % n };
    }
  }
}

/** `n` on the last match loaded while the worker has more: read the next page instead of wrapping. */
export function needsNextPage(s: SearchState, direction: 1 | -1): boolean {
  return direction === 1 && s.phase === 'done' && s.more && !s.loading && s.index === s.matches.length - 1;
}

/** Adds hits to the matches, one per process, in the order of each process's first matching image. */
function withHits(matches: SearchMatch[], hits: ExecHit[]): SearchMatch[] {
  const out = matches.map((m) => ({ ...m }));
  const byProcess = new Map(out.map((m) => [m.processId, m]));
  for (const h of hits) {
    const line = byProcess.get(h.processId);
    if (line) line.images++;
    else {
      const m = { execId: h.execId, processId: h.processId, images: 1 };
      out.push(m);
      byProcess.set(h.processId, m);
    }
  }
  return out;
}

export function currentMatch(s: SearchState): SearchMatch | null {
  return s.index >= 0 ? (s.matches[s.index] ?? null) : null;
}
