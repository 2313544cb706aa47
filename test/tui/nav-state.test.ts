import { describe, expect, it } from 'vitest';
import { initialNavState, navReducer } from '../../src/tui/state/nav-state.js';

describe('footer notices', () => {
  it('a notice stays on its screen and is gone on the next one', () => {
    const withNotice = navReducer({ ...initialNavState, screen: 'alerts' }, { type: 'notice', text: 'this row names no exec in the case' });
    expect(navReducer(withNotice, { type: 'show', screen: 'alerts' }).notice).toBe('this row names no exec in the case');
    expect(navReducer(withNotice, { type: 'show', screen: 'tree' }).notice).toBeNull();
  });
});
