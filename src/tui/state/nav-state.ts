export type Screen = 'overview' | 'tree' | 'alerts' | 'chains' | 'sql';

/** Which pane of the tree screen takes the arrow keys. */
export type TreeFocus = 'tree' | 'ancestry';

export interface NavState {
  screen: Screen;
  treeFocus: TreeFocus;
  helpOpen: boolean;
  /** A one-line notice in the footer (e.g. "no exec with id 4"), until another replaces it or another screen opens. */
  notice: string | null;
}

export type NavAction =
  | { type: 'show'; screen: Screen; treeFocus?: TreeFocus }
  | { type: 'focus'; treeFocus: TreeFocus }
  | { type: 'help'; open: boolean }
  | { type: 'notice'; text: string | null };

export const initialNavState: NavState = { screen: 'overview', treeFocus: 'tree', helpOpen: false, notice: null };

export function navReducer(s: NavState, a: NavAction): NavState {
  switch (a.type) {
    case 'show':
      // A notice belongs to the screen it was given on: another screen starts without it.
      return {
        ...s,
        screen: a.screen,
        treeFocus: a.treeFocus ?? (a.screen === s.screen ? s.treeFocus : 'tree'),
        helpOpen: false,
        notice: a.screen === s.screen ? s.notice : null,
      };
    case 'focus':
      return { ...s, treeFocus: a.treeFocus };
    case 'help':
      return { ...s, helpOpen: a.open };
    case 'notice':
      return s.notice === a.text ? s : { ...s, notice: a.text };
  }
}
