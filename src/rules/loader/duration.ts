const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

/**
 * A window such as `90s`, `10m`, `1h30m`, `500ms` or a bare number of seconds, in nanoseconds;
 * undefined when it cannot be read.
 */
export function parseDuration(text: string): bigint | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return BigInt(t) * UNIT_NS.s!;
  if (!/^(\d+(ns|us|ms|s|m|h|d))+$/.test(t)) return undefined;
  let total = 0n;
  for (const m of t.matchAll(/(\d+)(ns|us|ms|s|m|h|d)/g)) total += BigInt(m[1]!) * UNIT_NS[m[2]!]!;
  return total;
}

/** Milliseconds as the shortest duration text parseDuration reads back: `5m`, `90s`, `250ms`. */
export function durationText(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
