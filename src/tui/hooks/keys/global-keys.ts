import type { Screen } from '../../state/nav-state.js';
import type { KeyHandler } from './key-chars.js';

/** Screen switches, help and quit: whenever no text field has the keyboard. */
export function globalKeys(opts: {
  onScreen: (s: Screen) => void;
  onHelp: () => void;
  onQuit: () => void;
  onReload?: () => void;
  onReport?: () => void;
}): KeyHandler {
  return (input, key) => {
    if (key.ctrl || key.meta) return false;
    if (input === 'q') opts.onQuit();
    else if (input === '?') opts.onHelp();
    else if (input === '1') opts.onScreen('overview');
    else if (input === '2') opts.onScreen('tree');
    else if (input === '3') opts.onScreen('alerts');
    else if (input === '4') opts.onScreen('chains');
    else if (input === ':') opts.onScreen('sql');
    else if (input === 'R' && opts.onReport) opts.onReport();
    else if (input === 'r' && opts.onReload) opts.onReload();
    else return false;
    return true;
  };
}
