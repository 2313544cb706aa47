import type { TreeController } from '../use-tree-controller.js';
import type { KeyHandler } from './key-chars.js';

export interface TreeKeyOptions {
  tree: TreeController;
  page: number;
  onSearch: () => void;
  onStep: (direction: 1 | -1) => void;
  onAncestry: () => void;
  onHostTree: () => void;
  onToggleEnv: () => void;
  onEscape: () => void;
}

/** The tree pane's keys (listed in keymap.ts). */
export function treeKeys(h: TreeKeyOptions): KeyHandler {
  const t = h.tree;
  return (input, key) => {
    if (key.upArrow) t.dispatch({ type: 'move', delta: -1 });
    else if (key.downArrow) t.dispatch({ type: 'move', delta: 1 });
    else if (key.pageUp) t.dispatch({ type: 'move', delta: -h.page });
    else if (key.pageDown) t.dispatch({ type: 'move', delta: h.page });
    else if (key.home) t.dispatch({ type: 'move-edge', edge: 'first' });
    else if (key.end) t.dispatch({ type: 'move-edge', edge: 'last' });
    else if (key.rightArrow) t.expandSelected();
    else if (key.leftArrow) t.collapseOrParent();
    else if (key.return) t.activateSelected();
    else if (key.tab) h.onAncestry();
    else if (key.escape) h.onEscape();
    else if (key.ctrl || key.meta) return false;
    else {
      switch (input) {
        case 'j':
          t.dispatch({ type: 'move', delta: 1 });
          break;
        case 'k':
          t.dispatch({ type: 'move', delta: -1 });
          break;
        case 'l':
          t.expandSelected();
          break;
        case 'h':
          t.collapseOrParent();
          break;
        case 'p':
          t.dispatch({ type: 'select-parent' });
          break;
        case ']':
          t.dispatch({ type: 'select-sibling', direction: 1 });
          break;
        case '[':
          t.dispatch({ type: 'select-sibling', direction: -1 });
          break;
        case 'c':
          t.dispatch({ type: 'collapse-all' });
          break;
        case 'g':
          t.dispatch({ type: 'move-edge', edge: 'first' });
          break;
        case 'G':
          t.dispatch({ type: 'move-edge', edge: 'last' });
          break;
        case '/':
          h.onSearch();
          break;
        case 'n':
          h.onStep(1);
          break;
        case 'N':
          h.onStep(-1);
          break;
        case 'H':
          h.onHostTree();
          break;
        case 'e':
          h.onToggleEnv();
          break;
        default:
          return false;
      }
    }
    return true;
  };
}
