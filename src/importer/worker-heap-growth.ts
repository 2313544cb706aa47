import { setFlagsFromString } from 'node:v8';
import { v8FlagAtStart } from './v8-start-flag.js';

/**
 * How far V8 lets a heap grow past what survived its last full collection, while an import
 * worker runs: 1.3×. V8 picks this factor from the heap's maximum size, and an unbounded worker's
 * maximum (~4 GB) gets 4×: at 5M JSON-lines execs ~35 MB of live linking state let the worker's
 * old generation reach ~140 MB, mostly garbage (peak RSS 353 MB). A bound on the old generation
 * lowers the factor too, but V8 aborts the whole process (not just the worker) when one large
 * allocation (JSON.parse of a long line) runs into a bound; this sets no bound at all.
 */
const WORKER_HEAP_GROWING_PERCENT = 30;

/** The factor the process was started with (V8's default, 0, lets V8 choose), set again afterwards. */
function startingPercent(): number {
  const given = v8FlagAtStart('heap-growing-percent');
  return given !== undefined && /^\d+$/.test(given) ? Number(given) : 0;
}

let holders = 0;

/**
 * Lowers V8's heap growing factor while the caller's worker runs; the returned function sets it
 * back once no worker needs it. The flag is one for the whole process (every thread's heap, read
 * each time a collection sizes the heap's next limit; measured on Node 20 and 24): the importing
 * thread's own heap is small, and its collections did not cost measurably more.
 */
export function holdLowHeapGrowth(): () => void {
  if (holders++ === 0) setFlagsFromString(`--heap-growing-percent=${WORKER_HEAP_GROWING_PERCENT}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) setFlagsFromString(`--heap-growing-percent=${startingPercent()}`);
  };
}
