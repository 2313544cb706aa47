import { describe, expect, it } from 'vitest';
import { currentMatch, initialSearchState, needsNextPage, searchReducer, type SearchAction, type SearchState } from '../../src/tui/state/search-state.js';

const run = (actions: SearchAction[], s: SearchState = initialSearchState): SearchState => actions.reduce(searchReducer, s);
const typed = (text: string): SearchAction[] => [{ type: 'open' }, { type: 'edit', edit: { type: 'insert', text } }, { type: 'submit' }];
const matches = [1, 2, 3].map((n) => ({ execId: n * 10, processId: n }));

describe('search reducer', () => {
  it('goes typing → running → done and shows the first match', () => {
    let s = run(typed(' cat '));
    expect(s.phase).toBe('running');
    expect(s.query).toBe('cat');
    s = run([{ type: 'results', query: 'cat', hits: matches, more: false, after: 30 }], s);
    expect(s.phase).toBe('done');
    expect(currentMatch(s)).toEqual({ execId: 10, processId: 1, images: 1 });
  });

  it('steps through matches and wraps around both ways', () => {
    let s = run([...typed('x'), { type: 'results', query: 'x', hits: matches, more: false, after: 30 }]);
    s = run([{ type: 'step', direction: -1 }], s);
    expect(currentMatch(s)?.execId).toBe(30);
    s = run(
      [
        { type: 'step', direction: 1 },
        { type: 'step', direction: 1 },
      ],
      s,
    );
    expect(currentMatch(s)?.execId).toBe(20);
  });

  it('ignores results of an older query', () => {
    let s = run([...typed('old'), ...typed('new')]);
    s = run([{ type: 'results', query: 'old', hits: matches, more: false, after: 30 }], s);
    expect(s.phase).toBe('running');
    expect(s.matches).toEqual([]);
  });

  it('an empty query resets the search; Esc while typing keeps earlier matches', () => {
    let s = run([...typed('x'), { type: 'results', query: 'x', hits: matches, more: false, after: 30 }, { type: 'open' }, { type: 'cancel' }]);
    expect(s.phase).toBe('done');
    expect(s.matches).toHaveLength(3);
    s = run([{ type: 'open' }, { type: 'edit', edit: { type: 'clear' } }, { type: 'submit' }], s);
    expect(s.phase).toBe('idle');
  });

  it('one match per tree line: a process matching in two images is one step of n', () => {
    const hits = [
      { execId: 11, processId: 11 },
      { execId: 14, processId: 13 },
      { execId: 15, processId: 13 },
      { execId: 16, processId: 14 },
    ];
    let s = run([...typed('wget'), { type: 'results', query: 'wget', hits, more: false, after: 16 }]);
    expect(s.matches.map((m) => m.processId)).toEqual([11, 13, 14]);
    s = run([{ type: 'step', direction: 1 }], s);
    expect(currentMatch(s)).toEqual({ execId: 14, processId: 13, images: 2 });
    s = run([{ type: 'step', direction: 1 }], s);
    expect(currentMatch(s)?.processId).toBe(14);
  });

  it('pages: n on the last line read asks for the next page, whose first new line is shown; a process seen again only adds an image', () => {
    let s = run([...typed('x'), { type: 'results', query: 'x', hits: matches, more: true, after: 30 }]);
    s = run(
      [
        { type: 'step', direction: 1 },
        { type: 'step', direction: 1 },
      ],
      s,
    );
    expect(needsNextPage(s, 1)).toBe(true);
    expect(needsNextPage(s, -1)).toBe(false);
    s = run([{ type: 'loading-more' }], s);
    expect(needsNextPage(s, 1)).toBe(false); // one page at a time
    const page2 = [
      { execId: 31, processId: 3 },
      { execId: 40, processId: 4 },
    ];
    s = run([{ type: 'results', query: 'x', hits: page2, more: false, after: 40, append: true }], s);
    expect(s.matches.map((m) => [m.processId, m.images])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 1],
    ]);
    expect(currentMatch(s)?.processId).toBe(4);
    expect(s.more).toBe(false);
    expect(needsNextPage(s, 1)).toBe(false); // the end: n wraps
  });

  it('Tab in the prompt toggles the whole-case scope, which a new search keeps', () => {
    let s = run([{ type: 'open' }, { type: 'toggle-scope' }]);
    expect(s.wholeCase).toBe(true);
    s = run([{ type: 'edit', edit: { type: 'insert', text: 'x' } }, { type: 'submit' }], s);
    expect(s).toMatchObject({ phase: 'running', wholeCase: true });
    s = run([{ type: 'toggle-scope' }], s); // not while a search runs
    expect(s.wholeCase).toBe(true);
  });

  it('reports no match and failure', () => {
    expect(run([...typed('zz'), { type: 'results', query: 'zz', hits: [], more: false, after: null }]).index).toBe(-1);
    expect(run([...typed('zz'), { type: 'failed', query: 'zz', error: 'boom' }]).phase).toBe('failed');
  });
});
