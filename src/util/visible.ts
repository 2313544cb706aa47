/**
 * Evidence strings (names, command lines, users, paths) are written by whoever ran the traced
 * programs. Before any of them reaches a terminal, control characters are shown as escapes, as
 * sysdig and `ls -b` do: `\x1b`, `\r`, `\n`, `\t`, `\x7f`, C1 controls as `\u009b`, and the
 * bidirectional overrides that reorder what a reader sees as `\u202e`. Nothing is dropped.
 */

// C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same minus newline and tab: what a whole text line may still hold as layout.
const CONTROL_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One evidence value, safe on a terminal: every control character shown as an escape. */
export function visible(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

/**
 * Text about to be written to a terminal stream, whose newlines and tabs are layout: every other
 * control character is shown as `\u001b`. The last line of defence behind `visible`; the `\u`
 * form keeps JSON output valid (a JSON string may hold DEL or U+009B raw, and this escape reads
 * back as the same character).
 */
export function visibleText(text: string): string {
  return text.replace(CONTROL_BUT_LAYOUT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
