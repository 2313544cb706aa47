import type { KeyHandler } from './key-chars.js';

/** While help is open: ↑↓ scroll it, q still quits, any other key closes it. */
export function helpKeys(opts: { scroll: (delta: number) => void; close: () => void; quit: () => void }): KeyHandler {
  return (input, key) => {
    if (key.upArrow) opts.scroll(-1);
    else if (key.downArrow) opts.scroll(1);
    else if (key.pageUp) opts.scroll(-10);
    else if (key.pageDown) opts.scroll(10);
    else if (input === 'q') opts.quit();
    else opts.close();
    return true;
  };
}
