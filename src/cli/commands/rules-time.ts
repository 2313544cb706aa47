import { InvalidArgumentError } from 'commander';

/**
 * Reads a --since/--until value: nanoseconds since the epoch (digits), or an ISO 8601 time
 * (`2024-11-28T13:20:15Z`, `2024-11-28T13:20:15.123456789+01:00`; no zone means UTC).
 */
export function parseTimeOption(value: string): bigint {
  const v = value.trim();
  if (/^\d+$/.test(v)) return BigInt(v);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (!m) throw new InvalidArgumentError('expected nanoseconds since the epoch or an ISO 8601 time such as 2024-11-28T13:20:15Z');
  const zone = m[4] ?? 'Z';
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${zone}`);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`not a valid time: ${value}`);
  const fraction = (m[3] ?? '').padEnd(9, '0');
  return BigInt(ms) * 1_000_000n + BigInt(fraction || '0');
}
