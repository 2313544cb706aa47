import { InvalidArgumentError } from 'commander';

export function parseIntArg(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('not an integer.');
  return Number(value);
}

/**
 * A point in time: ns since the epoch, seconds with a fraction, or an ISO 8601 date-time
 * (with nanoseconds if wanted; no zone means UTC).
 */
export function parseTimeArg(value: string): bigint {
  const v = value.trim();
  if (/^\d{16,}$/.test(v)) return BigInt(v);
  if (/^\d{9,11}(\.\d{1,9})?$/.test(v)) {
    const [s, f = ''] = v.split('.');
    return BigInt(s ?? '0') * 1_000_000_000n + BigInt(f.padEnd(9, '0'));
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (m) {
    const ms = Date.parse(`${m[1]}T${m[2]}${m[4] ?? 'Z'}`);
    if (!Number.isNaN(ms)) return BigInt(ms) * 1_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'));
  }
  throw new InvalidArgumentError('expected ns since the epoch, seconds (1732800000.5) or ISO 8601 (2024-11-28T13:20:05Z).');
}
