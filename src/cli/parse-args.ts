import { InvalidArgumentError } from 'commander';

export function parseIntArg(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('not an integer.');
  return Number(value);
}

const MAX_TIME_NS = 2n ** 63n - 1n;

/**
 * A point in time, the same forms for every option that takes one (`--since`, `--until`, `--at`,
 * `--alive-at`): nanoseconds since the epoch (13 digits or more), seconds since the epoch with an
 * optional fraction (`1732800015.5`), or ISO 8601 — a date, a date and minutes, seconds or a
 * fraction down to nanoseconds, `T` or a space, `Z` or an offset; no zone means UTC.
 */
export function parseTimeArg(value: string): bigint {
  const v = value.trim();
  if (/^\d{13,}$/.test(v)) {
    const ns = BigInt(v);
    // Times are stored as 64-bit integers: a larger value cannot name a moment in the case.
    if (ns > MAX_TIME_NS) throw new InvalidArgumentError(`${v} ns is past the largest time a case can hold (${MAX_TIME_NS}).`);
    return ns;
  }
  const seconds = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(v);
  if (seconds) return BigInt(seconds[1] ?? '0') * 1_000_000_000n + BigInt((seconds[2] ?? '').padEnd(9, '0'));
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(v);
  if (m) {
    const zone = (m[4] ?? 'Z').toUpperCase();
    const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
    if (!Number.isNaN(ms)) return BigInt(ms) * 1_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'));
  }
  throw new InvalidArgumentError('expected ns since the epoch, seconds (1732800015.5) or ISO 8601 (2024-11-28T13:20:15Z, 2024-11-28).');
}
