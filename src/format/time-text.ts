import { isoTime } from './render-value.js';

/**
 * How times read in text output. The default is ISO 8601 UTC with nanoseconds
 * (`2024-11-28T13:20:15.016500000Z`): a case spans days and machines in several zones, so a time
 * of day alone is ambiguous. `falco` is Falco's text prefix (time of day); `tz` a zone name
 * (`America/New_York`, `UTC`, or `local` for the machine's zone).
 */
export interface TimeStyle {
  format: 'iso' | 'falco';
  tz?: string;
}

const DEFAULT_TIME_STYLE: TimeStyle = { format: 'iso' };

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC. */
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Resolves `local` to the machine's zone; throws RangeError for a zone Intl does not know. */
export function resolveZone(tz: string): string {
  return tz === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
}

function wallClock(ms: number, zone: string): WallClock {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const w = {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const wholeSecondMs = Math.floor(ms / 1000) * 1000;
  return { ...w, offset: Math.round((asUtc - wholeSecondMs) / 60_000) };
}

function offsetText(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** One time as text in the given style. */
export function formatTime(ns: bigint, style: TimeStyle = DEFAULT_TIME_STYLE): string {
  if (style.format === 'iso' && style.tz === undefined) return isoTime(ns) as string;
  const nanos = (((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, '0');
  const ms = Number((ns - BigInt(nanos)) / 1_000_000n);
  const zone = resolveZone(style.tz ?? 'local');
  const w = wallClock(ms, zone);
  const clock = `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${nanos}`;
  if (style.format === 'falco') return clock;
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${clock}${offsetText(w.offset)}`;
}

/** A formatter bound to a style, for the many times of one command's output. */
export function timeFormatter(style: TimeStyle = DEFAULT_TIME_STYLE): (ns: bigint) => string {
  return (ns) => formatTime(ns, style);
}
