import { describe, expect, it } from 'vitest';
import type { Page, ProcessRow, TreeScope } from '../../src/tui/data/types.js';
import { ROOTS, flattenTree } from '../../src/tui/state/tree-rows.js';
import { initialTreeState, selectedProcessId, treeReducer, type TreeAction, type TreeState } from '../../src/tui/state/tree-state.js';

const scope: TreeScope = { kind: 'host', hostId: 1, label: 'host h' };

function row(processId: number, parent: number | null, name: string, childCount = 0): ProcessRow {
  return {
    processId,
    parentProcessId: parent,
    hostId: 1,
    pid: 100 + processId,
    execId: processId * 10,
    name,
    cmdline: `${name} -x`,
    containerId: null,
    startNs: null,
    endNs: null,
    exitCode: 0,
    exitSignal: null,
    origin: 'fork',
    childCount,
    alerted: false,
  };
}

const page = (items: ProcessRow[], moreAfter = false, moreBefore = false): Page<ProcessRow> => ({ items, moreAfter, moreBefore });
const run = (actions: TreeAction[], s: TreeState = initialTreeState(10)): TreeState => actions.reduce(treeReducer, s);
const keys = (s: TreeState): string[] => flattenTree(s).map((r) => (r.kind === 'process' ? `${r.guides}${r.row.name}` : `${r.guides}…${r.side}`));

// init(1) ─ bash(2) ─ ls(4), ps(5) ; cron(3)
const opened = (): TreeState =>
  run([
    { type: 'open-scope', scope, roots: page([row(1, null, 'init', 2)]) },
    { type: 'page-loaded', parent: 1, page: page([row(2, 1, 'bash', 2), row(3, 1, 'cron')]), mode: 'replace' },
    { type: 'expand', id: 1 },
    { type: 'page-loaded', parent: 2, page: page([row(4, 2, 'ls'), row(5, 2, 'ps')]), mode: 'replace' },
    { type: 'expand', id: 2 },
  ]);

describe('tree reducer', () => {
  it('opens a scope with the first root selected', () => {
    const s = run([{ type: 'open-scope', scope, roots: page([row(1, null, 'init', 2), row(9, null, 'kthreadd')]) }]);
    expect(s.selected).toBe('p:1');
    expect(keys(s)).toEqual(['init', 'kthreadd']);
  });

  it('draws expanded children with guides, depth first', () => {
    expect(keys(opened())).toEqual(['init', '├─ bash', '│  ├─ ls', '│  └─ ps', '└─ cron']);
  });

  it('moves the selection and clamps at both ends', () => {
    let s = run([{ type: 'move', delta: 3 }], opened());
    expect(selectedProcessId(s)).toBe(5);
    s = run([{ type: 'move', delta: 99 }], s);
    expect(selectedProcessId(s)).toBe(3);
    s = run([{ type: 'move', delta: -99 }], s);
    expect(selectedProcessId(s)).toBe(1);
  });

  it('collapsing a parent hides its subtree and keeps a hidden selection on the parent', () => {
    let s = run([{ type: 'select-process', id: 4 }], opened());
    s = run([{ type: 'collapse', id: 2 }], s);
    expect(keys(s)).toEqual(['init', '├─ bash', '└─ cron']);
    expect(selectedProcessId(s)).toBe(2);
  });

  it('collapse all leaves only the roots, the selection on its root', () => {
    const s = run([{ type: 'select-process', id: 5 }, { type: 'collapse-all' }], opened());
    expect(keys(s)).toEqual(['init']);
    expect(selectedProcessId(s)).toBe(1);
  });

  it('jumps to the parent and between siblings', () => {
    let s = run(
      [
        { type: 'select-process', id: 4 },
        { type: 'select-sibling', direction: 1 },
      ],
      opened(),
    );
    expect(selectedProcessId(s)).toBe(5);
    s = run([{ type: 'select-sibling', direction: 1 }], s);
    expect(selectedProcessId(s)).toBe(5); // last sibling: stays
    s = run([{ type: 'select-parent' }], s);
    expect(selectedProcessId(s)).toBe(2);
    s = run([{ type: 'select-parent' }, { type: 'select-parent' }], s);
    expect(selectedProcessId(s)).toBe(1); // a root has no parent in the tree
  });

  it('shows a "more" row for an unfinished page and appends the next page after it', () => {
    let s = run([
      { type: 'open-scope', scope, roots: page([row(1, null, 'init', 3)]) },
      { type: 'page-loaded', parent: 1, page: page([row(2, 1, 'a'), row(3, 1, 'b')], true), mode: 'replace' },
      { type: 'expand', id: 1 },
    ]);
    expect(keys(s)).toEqual(['init', '├─ a', '├─ b', '└─ …after']);
    s = run([{ type: 'page-loaded', parent: 1, page: page([row(4, 1, 'c')], false, true), mode: 'append' }], s);
    expect(keys(s)).toEqual(['init', '├─ a', '├─ b', '└─ c']);
  });

  it('keeps the selection on screen as it moves past the viewport', () => {
    const many = Array.from({ length: 30 }, (_, i) => row(i + 1, null, `p${i + 1}`));
    let s = run([
      { type: 'viewport', height: 5 },
      { type: 'open-scope', scope, roots: page(many) },
    ]);
    s = run([{ type: 'move', delta: 12 }], s);
    expect(s.top).toBe(8);
    s = run([{ type: 'move-edge', edge: 'first' }], s);
    expect(s.top).toBe(0);
  });

  it('records a focused exec only until the selection moves', () => {
    let s = run([{ type: 'select-process', id: 4, focusExecId: 41 }], opened());
    expect(s.focusExecId).toBe(41);
    s = run([{ type: 'move', delta: 1 }], s);
    expect(s.focusExecId).toBeNull();
  });

  it('lists every loaded process under the list it came from', () => {
    const s = opened();
    expect(s.listedUnder.get(1)).toBe(ROOTS);
    expect(s.listedUnder.get(4)).toBe(2);
  });
});
