/** A one-line text field: the search prompt, the alert filter, the SQL prompt. */
export interface LineEdit {
  text: string;
  cursor: number;
}

export type LineEditAction =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'clear' }
  | { type: 'delete-word' }
  | { type: 'set'; text: string };

export const emptyLine: LineEdit = { text: '', cursor: 0 };

export function lineEditReducer(s: LineEdit, a: LineEditAction): LineEdit {
  switch (a.type) {
    case 'insert': {
      // Pasted newlines and control characters would break the one-line layout.
      const text = a.text.replace(/[\r\n\t]/g, ' ').replace(/[\x00-\x1f\x7f]/g, '');
      return { text: s.text.slice(0, s.cursor) + text + s.text.slice(s.cursor), cursor: s.cursor + text.length };
    }
    case 'backspace':
      return s.cursor === 0 ? s : { text: s.text.slice(0, s.cursor - 1) + s.text.slice(s.cursor), cursor: s.cursor - 1 };
    case 'delete':
      return { ...s, text: s.text.slice(0, s.cursor) + s.text.slice(s.cursor + 1) };
    case 'left':
      return { ...s, cursor: Math.max(0, s.cursor - 1) };
    case 'right':
      return { ...s, cursor: Math.min(s.text.length, s.cursor + 1) };
    case 'home':
      return { ...s, cursor: 0 };
    case 'end':
      return { ...s, cursor: s.text.length };
    case 'clear':
      return emptyLine;
    case 'delete-word': {
      const before = s.text.slice(0, s.cursor).replace(/\S*\s*$/, '');
      return { text: before + s.text.slice(s.cursor), cursor: before.length };
    }
    case 'set':
      return { text: a.text, cursor: a.text.length };
  }
}
