/**
 * Quoted strings in conditions, as libsinsp reads and writes them.
 *
 * Escapes: `\b \f \n \r \t \\ \/ \xHH`, `\"` only inside "…", `\'` only inside '…', and the
 * legacy `\ ` (backslash, space) kept as both characters. Anything else is an error.
 */

export class BadEscapeError extends Error {
  /** Offset of the bad escape inside the quoted token (0 = the opening quote). */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  '/': '/',
};

/**
 * Reads a quoted token starting at `start` (which holds the quote) and returns the decoded value
 * and the offset just past the closing quote; null when the quote is never closed.
 */
export function readQuoted(text: string, start: number): { value: string; end: number } | null {
  const quote = text[start];
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === quote) return { value: out, end: i + 1 };
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return null;
    if (next === quote) {
      out += quote;
    } else if (next === ' ') {
      out += '\\ ';
    } else if (next === 'x') {
      const hex = text.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new BadEscapeError('\\x needs two hex digits', i - start);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
      continue;
    } else {
      const simple = SIMPLE_ESCAPES[next];
      if (simple === undefined) throw new BadEscapeError(`unknown escape sequence \\${next}`, i - start);
      out += simple;
    }
    i += 2;
  }
  return null;
}

/** Characters that force a value to be quoted when a condition is printed back. */
const NEEDS_QUOTES = /[\s(),="'\\]|^$/;

/** Writes a value so that the parser reads it back unchanged. */
export function quoteValue(value: string): string {
  return NEEDS_QUOTES.test(value) ? quoteAlways(value) : value;
}

/** Writes a value in double quotes with the escapes the parser understands. */
export function quoteAlways(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      default: {
        const code = ch.charCodeAt(0);
        out += code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
      }
    }
  }
  return `${out}"`;
}
