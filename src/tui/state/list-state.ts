/**
 * Cursor and scroll for a flat list (overview rows, alerts, ancestry, SQL results).
 * `count` is the number of rows loaded; `top` the first row on screen.
 */
export interface ListState {
  cursor: number;
  top: number;
  count: number;
  height: number;
}

export type ListAction =
  | { type: 'move'; delta: number }
  | { type: 'move-edge'; edge: 'first' | 'last' }
  | { type: 'set-cursor'; cursor: number }
  | { type: 'count'; count: number }
  | { type: 'viewport'; height: number };

export function initialListState(count = 0, height = 10): ListState {
  return { cursor: 0, top: 0, count, height: Math.max(1, height) };
}

function settle(s: ListState): ListState {
  const cursor = s.count === 0 ? 0 : Math.min(Math.max(0, s.cursor), s.count - 1);
  let top = Math.min(s.top, Math.max(0, s.count - s.height));
  if (cursor < top) top = cursor;
  if (cursor >= top + s.height) top = cursor - s.height + 1;
  return { ...s, cursor, top: Math.max(0, top) };
}

export function listReducer(state: ListState, action: ListAction): ListState {
  switch (action.type) {
    case 'move':
      return settle({ ...state, cursor: state.cursor + action.delta });
    case 'move-edge':
      return settle({ ...state, cursor: action.edge === 'first' ? 0 : state.count - 1 });
    case 'set-cursor':
      return settle({ ...state, cursor: action.cursor });
    case 'count':
      return settle({ ...state, count: action.count });
    case 'viewport':
      return settle({ ...state, height: Math.max(1, action.height) });
  }
}
