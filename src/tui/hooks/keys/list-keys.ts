import type { KeyHandler } from './key-chars.js';

/** Moving through a list: ↑↓ j k, PgUp PgDn, Home End, and Enter/Tab/Esc/←→ when given. */
export function listKeys(opts: {
  page: number;
  move: (delta: number) => void;
  edge?: (edge: 'first' | 'last') => void;
  sideways?: (delta: number) => void;
  onEnter?: () => void;
  onTab?: () => void;
  onEscape?: () => void;
}): KeyHandler {
  return (input, key) => {
    if (key.upArrow || input === 'k') opts.move(-1);
    else if (key.downArrow || input === 'j') opts.move(1);
    else if (key.pageUp) opts.move(-opts.page);
    else if (key.pageDown) opts.move(opts.page);
    else if (key.home && opts.edge) opts.edge('first');
    else if (key.end && opts.edge) opts.edge('last');
    else if ((key.leftArrow || input === 'h') && opts.sideways) opts.sideways(-8);
    else if ((key.rightArrow || input === 'l') && opts.sideways) opts.sideways(8);
    else if (key.return && opts.onEnter) opts.onEnter();
    else if (key.tab && opts.onTab) opts.onTab();
    else if (key.escape && opts.onEscape) opts.onEscape();
    else return false;
    return true;
  };
}
