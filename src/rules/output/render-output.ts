import type { OutputColumn } from '../compile/rule-query.js';
import type { OutputPart } from './output-format.js';
import type { OutputValue } from './alert.js';
import { timeOfDay } from './falco-time.js';

/**
 * Fills a rule's output format from a result row: missing values print as `<NA>` (as Falco),
 * bools as true/false, `%evt.time` as the time of day.
 */
export function renderOutput(
  parts: OutputPart[],
  columns: (OutputColumn | null)[],
  row: Record<string, unknown>,
): { text: string; fields: Record<string, OutputValue> } {
  let text = '';
  const fields: Record<string, OutputValue> = {};
  let k = 0;
  for (const part of parts) {
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    const column = columns[k++] ?? null;
    const value = column ? typedValue(row[column.alias], column) : null;
    fields[part.text] = value;
    let shown = displayValue(value, column);
    if (part.width !== undefined) shown = shown.padEnd(part.width);
    text += shown;
  }
  return { text, fields };
}

function typedValue(v: unknown, column: OutputColumn): OutputValue {
  if (v === null || v === undefined) return null;
  if (column.type === 'bool') return Number(v) !== 0;
  if (typeof v === 'bigint' || typeof v === 'string' || typeof v === 'number') return v;
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  return String(v);
}

function displayValue(v: OutputValue, column: OutputColumn | null): string {
  if (v === null) return '<NA>';
  if (column?.field === 'evt.time' && typeof v === 'bigint') return timeOfDay(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}
