/**
 * Escaping for text that came from evidence (attacker-written command lines, names, paths).
 * Every string that reaches HTML, SVG, DOT or Mermaid output goes through one of these.
 */

/** Control characters other than tab and newline, and the Unicode bidi overrides that reorder text. */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Makes invisible characters visible as `\xNN` / `\u{NNNN}` so a reader sees what was there. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** Text content or a quoted attribute value in HTML or SVG (XML-safe as well). */
export function escapeHtml(text: string): string {
  return visibleText(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Cuts text to `max` characters with an ellipsis; the caller keeps the full text elsewhere. */
export function elide(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}
