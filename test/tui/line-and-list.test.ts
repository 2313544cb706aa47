import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { emptyLine, lineEditReducer, type LineEditAction } from '../../src/tui/state/line-edit.js';
import { initialListState, listReducer } from '../../src/tui/state/list-state.js';
import { splitBurst } from '../../src/tui/hooks/keys/use-key-router.js';

const edit = (actions: LineEditAction[]) => actions.reduce(lineEditReducer, emptyLine);

describe('line edit', () => {
  it('inserts at the cursor, deletes back, moves and clears words', () => {
    expect(edit([{ type: 'insert', text: 'ct' }, { type: 'left' }, { type: 'insert', text: 'a' }])).toEqual({ text: 'cat', cursor: 2 });
    expect(edit([{ type: 'insert', text: 'cat' }, { type: 'backspace' }])).toEqual({ text: 'ca', cursor: 2 });
    expect(edit([{ type: 'insert', text: 'select name' }, { type: 'delete-word' }])).toEqual({ text: 'select ', cursor: 7 });
    expect(edit([{ type: 'insert', text: 'x' }, { type: 'home' }, { type: 'backspace' }])).toEqual({ text: 'x', cursor: 0 });
  });

  it('keeps pasted text on one line', () => {
    expect(edit([{ type: 'insert', text: 'a\nb\tc\x1b' }]).text).toBe('a b c');
  });
});

describe('list state', () => {
  it('clamps the cursor and scrolls to keep it visible', () => {
    let s = initialListState(20, 5);
    s = listReducer(s, { type: 'move', delta: 7 });
    expect(s).toMatchObject({ cursor: 7, top: 3 });
    s = listReducer(s, { type: 'move', delta: 100 });
    expect(s).toMatchObject({ cursor: 19, top: 15 });
    s = listReducer(s, { type: 'count', count: 4 });
    expect(s).toMatchObject({ cursor: 3, top: 0 });
  });
});

describe('key bursts', () => {
  const plain = { return: false, tab: false, backspace: false } as Key;
  it('splits typed text from the Enter that follows it', () => {
    expect(splitBurst('cat\r', plain).map((p) => [p.input, p.key.return])).toEqual([
      ['cat', false],
      ['', true],
    ]);
    expect(splitBurst('a\tb', plain).map((p) => [p.input, p.key.tab])).toEqual([
      ['a', false],
      ['', true],
      ['b', false],
    ]);
  });
});
