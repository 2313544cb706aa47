import type { Key } from 'ink';
import type { LineEditAction } from '../../state/line-edit.js';

/** Handles one key; returns false when the key means nothing here (the next handler may take it). */
export type KeyHandler = (input: string, key: Key) => boolean;

/** Keys that are not text: a handler must see them whole, never split into characters. */
export function isSpecialKey(key: Key): boolean {
  return (
    key.return ||
    key.escape ||
    key.tab ||
    key.upArrow ||
    key.downArrow ||
    key.leftArrow ||
    key.rightArrow ||
    key.pageUp ||
    key.pageDown ||
    key.home ||
    key.end ||
    key.backspace ||
    key.delete ||
    key.ctrl ||
    key.meta
  );
}

/** What a key does to a text field, or null when it is not an editing key. */
export function lineEditFromKey(input: string, key: Key): LineEditAction | null {
  if (key.backspace || key.delete) return { type: 'backspace' };
  if (key.leftArrow) return { type: 'left' };
  if (key.rightArrow) return { type: 'right' };
  if (key.home || (key.ctrl && input === 'a')) return { type: 'home' };
  if (key.end || (key.ctrl && input === 'e')) return { type: 'end' };
  if (key.ctrl && input === 'u') return { type: 'clear' };
  if (key.ctrl && input === 'w') return { type: 'delete-word' };
  if (key.ctrl || key.meta || key.tab || key.return || key.escape || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return null;
  return input.length > 0 ? { type: 'insert', text: input } : null;
}
