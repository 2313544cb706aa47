import { visible } from '../util/visible.js';
import type { OutputMode } from './common-options.js';

export type Row = Record<string, unknown>;

/**
 * A cell as text: bigint and numbers in decimal, null as empty. Control characters show as escapes
 * (`\x1b`, `\n`) in tables and CSV alike: both are read on terminals; `--json` keeps the exact text.
 */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return visible(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Buffer.isBuffer(v)) return `x'${v.toString('hex')}'`;
  if (typeof v === 'object') return visible(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)));
  return visible(String(v));
}

/** JSON-safe value: bigints that fit in a double become numbers, larger ones decimal strings. */
export function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return v;
}

export function toJson(rows: Row[]): string {
  return JSON.stringify(
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonValue(v)]))),
    null,
    2,
  );
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: Row[], columns?: string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const lines = [cols.map(csvField).join(',')];
  for (const r of rows) lines.push(cols.map((c) => csvField(cellText(r[c]))).join(','));
  return lines.join('\n');
}

/** Aligned columns; long cells are cut at `maxWidth` with an ellipsis. */
export function toTable(rows: Row[], columns?: string[], maxWidth = 80): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  if (cols.length === 0) return '';
  const cells = rows.map((r) =>
    cols.map((c) => {
      const t = cellText(r[c]);
      return t.length > maxWidth ? `${t.slice(0, maxWidth - 1)}…` : t;
    }),
  );
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const fmt = (vals: string[]): string =>
    vals
      .map((v, i) => (i === vals.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(cols), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt)].join('\n');
}

export function formatRows(rows: Row[], mode: OutputMode, columns?: string[]): string {
  if (mode === 'json') return toJson(rows);
  if (mode === 'csv') return toCsv(rows, columns);
  if (rows.length === 0) return '(no rows)';
  return toTable(rows, columns);
}

export function printRows(rows: Row[], mode: OutputMode, columns?: string[]): void {
  process.stdout.write(`${formatRows(rows, mode, columns)}\n`);
}
