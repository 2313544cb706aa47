import type { KeyHandler } from './key-chars.js';

/** Walking the ancestry chain in the detail pane. */
export function ancestryKeys(opts: {
  page: number;
  moveStep: (delta: number) => void;
  scroll: (delta: number) => void;
  openStep: () => void;
  toggleEnv: () => void;
  back: () => void;
}): KeyHandler {
  return (input, key) => {
    if (key.upArrow || input === 'k') opts.moveStep(-1);
    else if (key.downArrow || input === 'j') opts.moveStep(1);
    else if (key.pageUp) opts.scroll(-opts.page);
    else if (key.pageDown) opts.scroll(opts.page);
    else if (key.return) opts.openStep();
    else if (key.tab || key.escape) opts.back();
    else if (input === 'e') opts.toggleEnv();
    else return false;
    return true;
  };
}
