/** Control characters (tabs, newlines, escapes in a hostile command line) shown as `?`. */
export function oneLine(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, '?');
}

/** Cuts `s` to `width` columns with an ellipsis; pads with spaces when `pad` is set. */
export function fit(s: string, width: number, pad = false): string {
  if (width <= 0) return '';
  const chars = [...s];
  if (chars.length > width) return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
  return pad ? s + ' '.repeat(width - chars.length) : s;
}

/** `n` with thousands separators: 1000000 → 1,000,000. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
