import type { LineEditAction } from '../../state/line-edit.js';
import { lineEditFromKey, type KeyHandler } from './key-chars.js';

/** A text field: the search prompt, the alert filter, the SQL prompt. */
export function promptKeys(opts: {
  onEdit: (a: LineEditAction) => void;
  onSubmit: () => void;
  onCancel: () => void;
  onTab?: () => void;
  onHistory?: (direction: 1 | -1) => void;
}): KeyHandler {
  return (input, key) => {
    if (key.return) opts.onSubmit();
    else if (key.escape) opts.onCancel();
    else if (key.tab) opts.onTab?.();
    else if (key.upArrow) opts.onHistory?.(-1);
    else if (key.downArrow) opts.onHistory?.(1);
    else {
      const edit = lineEditFromKey(input, key);
      if (!edit) return false;
      opts.onEdit(edit);
    }
    return true;
  };
}
