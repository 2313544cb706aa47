/** strace's C-style literals: `"a\"b\n"` strings and `["a", "b"]` arrays. */

export interface Parsed<T> {
  value: T;
  /** Index just past the literal. */
  end: number;
  /** strace cut the value (`"abc"...` past `-s`, or `...]` past its array limit). */
  truncated: boolean;
}

/** The string literal starting at `text[start] === '"'`. */
export function parseCString(text: string, start: number): Parsed<string> | null {
  if (text.charCodeAt(start) !== 34) return null;
  const bytes: number[] = [];
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i++;
      const truncated = text.startsWith('...', i);
      return { value: Buffer.from(bytes).toString('utf8'), end: truncated ? i + 3 : i, truncated };
    }
    if (c !== 92) {
      if (c < 0x80) bytes.push(c);
      else bytes.push(...Buffer.from(text[i]!, 'utf8'));
      i++;
      continue;
    }
    const e = text[i + 1];
    i += 2;
    switch (e) {
      case 'n':
        bytes.push(10);
        break;
      case 't':
        bytes.push(9);
        break;
      case 'r':
        bytes.push(13);
        break;
      case 'v':
        bytes.push(11);
        break;
      case 'f':
        bytes.push(12);
        break;
      case 'a':
        bytes.push(7);
        break;
      case 'b':
        bytes.push(8);
        break;
      case 'x': {
        const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i, i + 2))?.[0] ?? '';
        bytes.push(parseInt(hex || '0', 16));
        i += hex.length;
        break;
      }
      default: {
        const oct = /^[0-7]{1,3}/.exec(text.slice(i - 1, i + 2))?.[0];
        if (oct) {
          bytes.push(parseInt(oct, 8) & 0xff);
          i += oct.length - 1;
        } else if (e !== undefined) {
          bytes.push(e.charCodeAt(0));
        }
      }
    }
  }
  return null;
}

/** The `[…]` array of strings starting at `text[start] === '['`. */
export function parseCStringArray(text: string, start: number): Parsed<string[]> | null {
  if (text.charCodeAt(start) !== 91) return null;
  const items: string[] = [];
  let truncated = false;
  let i = start + 1;
  for (;;) {
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 44) i++;
    if (text.charCodeAt(i) === 93) return { value: items, end: i + 1, truncated };
    if (text.startsWith('...', i)) {
      truncated = true;
      i += 3;
      continue;
    }
    const s = parseCString(text, i);
    if (!s) return null;
    items.push(s.value);
    truncated ||= s.truncated;
    i = s.end;
  }
}
