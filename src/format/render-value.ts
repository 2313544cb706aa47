import type { FieldType } from '../fields/falco-fields.js';
import { visible } from '../util/visible.js';

/** sysdig and Falco print a missing value as `<NA>`. */
export const NA = '<NA>';

/** `HH:MM:SS.nnnnnnnnn` in local time, as sysdig's evt.time and Falco's alert prefix print it. */
export function timeOfDay(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${frac}`;
}

/** `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` in local time (sysdig evt.datetime). */
export function dateTime(ns: bigint): string {
  const d = new Date(Number(ns / 1_000_000n));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${timeOfDay(ns)}`;
}

/** ISO 8601 UTC with nanoseconds, for JSON output and tables. */
export function isoTime(ns: bigint | null): string | null {
  if (ns === null) return null;
  const d = new Date(Number(ns / 1_000_000n));
  const frac = (((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, '0');
  return `${d.toISOString().slice(0, 19)}.${frac}Z`;
}

/** A field value as sysdig prints it with -p; control characters in it shown as escapes. */
export function renderFieldValue(value: unknown, type: FieldType, fieldName: string): string {
  if (value === null || value === undefined) return NA;
  if (type === 'bool') {
    const truthy = value === true || value === 1 || value === 1n || value === '1';
    return truthy ? 'true' : 'false';
  }
  if (type === 'abstime' && fieldName === 'evt.time') return timeOfDay(BigInt(value as bigint));
  if (typeof value === 'bigint' || typeof value === 'number') return value.toString();
  return visible(String(value));
}
