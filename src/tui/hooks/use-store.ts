import { useCallback, useRef, useState } from 'react';

/**
 * useReducer with a synchronous read of the latest state. Key handlers decide what to load
 * from the state the previous key left, even when two keys arrive before React re-renders.
 */
export function useStore<S, A>(reducer: (s: S, a: A) => S, init: () => S): [S, (a: A) => void, () => S] {
  const ref = useRef<{ state: S } | null>(null);
  if (ref.current === null) ref.current = { state: init() };
  const [, setVersion] = useState(0);
  const dispatch = useCallback(
    (a: A) => {
      const box = ref.current as { state: S };
      const next = reducer(box.state, a);
      if (next !== box.state) {
        box.state = next;
        setVersion((v) => v + 1);
      }
    },
    [reducer],
  );
  const get = useCallback(() => (ref.current as { state: S }).state, []);
  return [ref.current.state, dispatch, get];
}
