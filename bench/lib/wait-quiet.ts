import { readFileSync } from 'node:fs';

/** Idle and total jiffies of all CPUs so far (/proc/stat's first line). */
function cpuTimes(): { idle: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  return { idle: (fields[3] ?? 0) + (fields[4] ?? 0), total: fields.reduce((a, b) => a + b, 0) };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits until the machine's CPUs were at least `idleShare` idle over the last `windowMs` (other
 * sessions' builds and tests share the cores), at most `maxWaitMs`. Returns whether it was quiet:
 * a run taken anyway is one the caller may mark.
 */
export function waitForQuiet({ idleShare = 0.9, windowMs = 300, maxWaitMs = 120_000 } = {}): boolean {
  const started = Date.now();
  for (;;) {
    const before = cpuTimes();
    Atomics.wait(pause, 0, 0, windowMs);
    const after = cpuTimes();
    const total = after.total - before.total;
    if (total > 0 && (after.idle - before.idle) / total >= idleShare) return true;
    if (Date.now() - started >= maxWaitMs) return false;
  }
}
