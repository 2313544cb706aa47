/**
 * Escaping for text that came from evidence (attacker-written command lines, names, paths).
 * Every string that reaches HTML, SVG, DOT or Mermaid output goes through one of these.
 */

/**
 * Control characters (newline and tab too: a value never spans lines, so evidence cannot fake
 * a line of its own), and the Unicode bidi controls that reorder text.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Makes invisible characters visible as `\xNN` / `\u{NNNN}` so a reader sees what was there. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** Text content or a quoted attribute value in HTML or SVG (XML-safe as well); one line. */
export function escapeHtml(text: string): string {
  return visibleText(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Cuts text to `max` characters with an ellipsis; the caller keeps the full text elsewhere. */
export function elide(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** Lines of text (each escaped as one line) joined by real newlines, for tooltips. */
export function escapeLines(lines: readonly string[]): string {
  return lines.map(escapeHtml).join('\n');
}
