import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';
import { trace } from '../../trace.js';
import { isSpecialKey, type KeyHandler } from './key-chars.js';

/** Where keys go right now: a text field (takes pasted text whole) or navigation handlers in order. */
export type KeyRoute = { kind: 'text'; handler: KeyHandler } | { kind: 'keys'; handlers: KeyHandler[] };

const CONTROL_KEYS: Record<string, Partial<Key>> = {
  '\r': { return: true },
  '\n': { return: true },
  '\t': { tab: true },
  '\x7f': { backspace: true },
  '\b': { backspace: true },
};

/**
 * Splits a burst of input (several keys read at once: fast typing, a paste, tmux send-keys)
 * into printable runs and single control keys, e.g. `cat\r` → `cat`, Enter.
 */
export function splitBurst(input: string, key: Key): { input: string; key: Key }[] {
  const out: { input: string; key: Key }[] = [];
  let run = '';
  for (const ch of input) {
    const code = ch.charCodeAt(0);
    let control = CONTROL_KEYS[ch];
    let text = '';
    if (!control && code >= 1 && code <= 26) {
      control = { ctrl: true }; // Ctrl+letter arrives as char 1–26
      text = String.fromCharCode(code + 96);
    }
    if (!control) {
      run += ch;
      continue;
    }
    if (run) out.push({ input: run, key });
    run = '';
    out.push({ input: text, key: { ...key, ...control } });
  }
  if (run) out.push({ input: run, key });
  return out;
}

/**
 * The one place that reads the keyboard. Every key is routed by `route()`, which reads the
 * state synchronously, so keys arriving in one burst each go where the previous key left the
 * UI, before React has re-rendered. Navigation gets text one character at a time; a text
 * field gets the rest of a printable run whole.
 */
export function useKeyRouter(currentRoute: () => KeyRoute): void {
  // The latest render's handlers, even before React re-subscribes the input listener
  // (that happens in a passive effect, which may run after the next key has arrived).
  const latest = useRef(currentRoute);
  latest.current = currentRoute;
  const route = useCallback((): KeyRoute => latest.current(), []);
  const onInput = useCallback(
    (input: string, key: Key) => {
      trace('key', { input });
      const deliver = (text: string, k: Key): void => {
        const r = route();
        if (r.kind === 'text') {
          r.handler(text, k);
          return;
        }
        for (const h of r.handlers) if (h(text, k)) return;
      };
      // A lone control character (a newline: Enter pressed before the terminal was put in raw
      // mode, which the tty turned into \n) is read as its key, as in a burst.
      if (isSpecialKey(key) || ([...input].length <= 1 && !CONTROL_KEYS[input])) {
        deliver(input, key);
        return;
      }
      for (const part of splitBurst(input, key)) {
        const chars = [...part.input];
        if (chars.length <= 1) {
          deliver(part.input, part.key);
          continue;
        }
        for (let i = 0; i < chars.length; i++) {
          if (route().kind === 'text') {
            deliver(chars.slice(i).join(''), part.key);
            break;
          }
          deliver(chars[i] as string, part.key);
        }
      }
    },
    [route],
  );
  useInput(onInput);
}
