import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) the calling thread has used, from /proc/thread-self/stat; null
 * where that is not available. Timing output uses it: with two threads, each thread's CPU is
 * what bounds the wall time on an idle machine, whatever the load while measuring.
 */
export function threadCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    // Fields after the command name (which may hold spaces), utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

const CLOCK_TICKS = 100;
