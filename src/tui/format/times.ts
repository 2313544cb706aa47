import { isoTime } from '../../format/render-value.js';
import { formatTime, type TimeStyle } from '../../format/time-text.js';

/** A time as the CLI's text output prints it; null reads `-`. */
export type TimeText = (ns: bigint | null) => string;

/**
 * Times on the alert and chain screens, as `pedigree rules run` and `chains run` print them:
 * ISO 8601 UTC with nanoseconds by default, or the style of `--time-format` / `--tz`.
 */
export function timeText(style: TimeStyle = { format: 'iso' }): TimeText {
  return (ns) => (ns === null ? '-' : formatTime(ns, style));
}

/** `HH:MM:SS.mmm` (UTC): short enough for a tree line, exact enough to order events by eye. */
export function clock(ns: bigint | null): string {
  if (ns === null) return '-';
  const iso = isoTime(ns) ?? '';
  return iso.slice(11, 23);
}

/** `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` UTC, for the detail pane. */
export function fullTime(ns: bigint | null): string {
  if (ns === null) return '-';
  const iso = isoTime(ns) ?? '';
  return `${iso.slice(0, 10)} ${iso.slice(11, -1)}`;
}

/** A duration between two ns timestamps: `36.7 s`, `2 h 03 min`. */
export function span(fromNs: bigint | null, toNs: bigint | null): string {
  if (fromNs === null || toNs === null) return '';
  const ms = Number((toNs - fromNs) / 1_000_000n);
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  if (min < 60) return `${min} min ${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')} s`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}
