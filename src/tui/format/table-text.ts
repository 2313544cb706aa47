import type { TableResult } from '../data/types.js';
import { oneLine } from './text.js';

const MAX_COLUMN_WIDTH = 48;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Uint8Array) return `<blob ${v.length} bytes>`;
  return oneLine(String(v));
}

/**
 * A result set as fixed-width text lines (header, rule, rows), each column as wide as its
 * widest value up to a cap; the view scrolls these lines sideways.
 */
export function tableLines(result: TableResult): { header: string; rule: string; rows: string[] } {
  const widths = result.columns.map((c) => Math.min(MAX_COLUMN_WIDTH, c.length));
  const cells = result.rows.map((row) => row.map(cellText));
  for (const row of cells) {
    row.forEach((cell, i) => {
      widths[i] = Math.min(MAX_COLUMN_WIDTH, Math.max(widths[i] ?? 0, cell.length));
    });
  }
  const line = (values: string[]): string =>
    values
      .map((v, i) => {
        const w = widths[i] ?? 0;
        return v.length > w ? `${v.slice(0, w - 1)}…` : v.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return {
    header: line(result.columns),
    rule: widths.map((w) => '─'.repeat(w)).join('  '),
    rows: cells.map(line),
  };
}
