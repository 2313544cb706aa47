import type { KeyHandler } from './key-chars.js';

/** The chains screen's own keys (moving between matches is listKeys): the step cursor and Enter. */
export function chainsKeys(opts: { moveStep: (delta: number, wrap?: boolean) => void; jump: () => void }): KeyHandler {
  return (input, key) => {
    if (key.leftArrow || input === 'h') opts.moveStep(-1);
    else if (key.rightArrow || input === 'l') opts.moveStep(1);
    else if (key.tab) opts.moveStep(key.shift ? -1 : 1, true);
    else if (key.return) opts.jump();
    else return false;
    return true;
  };
}
