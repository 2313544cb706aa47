import type { KeyHandler } from './key-chars.js';

/** The alerts list's own keys; moving is listKeys. */
export function alertsKeys(opts: { jump: () => void; filter: () => void; cyclePriority: () => void }): KeyHandler {
  return (input, key) => {
    if (key.return) opts.jump();
    else if (input === 'f' || input === '/') opts.filter();
    else if (input === 'p') opts.cyclePriority();
    else return false;
    return true;
  };
}
