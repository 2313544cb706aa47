import { describe, expect, it } from 'vitest';
import { currentMatch, initialSearchState, searchReducer, type SearchAction, type SearchState } from '../../src/tui/state/search-state.js';

const run = (actions: SearchAction[], s: SearchState = initialSearchState): SearchState => actions.reduce(searchReducer, s);
const typed = (text: string): SearchAction[] => [{ type: 'open' }, { type: 'edit', edit: { type: 'insert', text } }, { type: 'submit' }];
const matches = [1, 2, 3].map((n) => ({ execId: n * 10, processId: n }));

describe('search reducer', () => {
  it('goes typing → running → done and shows the first match', () => {
    let s = run(typed(' cat '));
    expect(s.phase).toBe('running');
    expect(s.query).toBe('cat');
    s = run([{ type: 'results', query: 'cat', matches, truncated: false }], s);
    expect(s.phase).toBe('done');
    expect(currentMatch(s)).toEqual({ execId: 10, processId: 1, images: 1 });
  });

  it('steps through matches and wraps around both ways', () => {
    let s = run([...typed('x'), { type: 'results', query: 'x', matches, truncated: false }]);
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
    s = run([{ type: 'results', query: 'old', matches, truncated: false }], s);
    expect(s.phase).toBe('running');
    expect(s.matches).toEqual([]);
  });

  it('an empty query resets the search; Esc while typing keeps earlier matches', () => {
    let s = run([...typed('x'), { type: 'results', query: 'x', matches, truncated: false }, { type: 'open' }, { type: 'cancel' }]);
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
    let s = run([...typed('wget'), { type: 'results', query: 'wget', matches: hits, truncated: false }]);
    expect(s.matches.map((m) => m.processId)).toEqual([11, 13, 14]);
    s = run([{ type: 'step', direction: 1 }], s);
    expect(currentMatch(s)).toEqual({ execId: 14, processId: 13, images: 2 });
    s = run([{ type: 'step', direction: 1 }], s);
    expect(currentMatch(s)?.processId).toBe(14);
  });

  it('reports no match and failure', () => {
    expect(run([...typed('zz'), { type: 'results', query: 'zz', matches: [], truncated: false }]).index).toBe(-1);
    expect(run([...typed('zz'), { type: 'failed', query: 'zz', error: 'boom' }]).phase).toBe('failed');
  });
});
