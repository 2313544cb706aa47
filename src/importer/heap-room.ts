import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PedigreeError } from '../util/errors.js';
import { v8FlagAtStart } from './v8-start-flag.js';

/**
 * Share of the old generation's limit past which an import stops cleanly instead of letting V8
 * end the whole process ("JavaScript heap out of memory", exit 134, a core dump and no word of
 * why). What fills the heap is the linker's table of running processes: evidence in which
 * processes never exit (audit and Tetragon exports often carry no exit records) keeps every pid
 * that was not reused, ~1–1.5 KB each. Below 0.8: V8 counts a full collection that leaves the
 * old generation above 80 % of its limit as ineffective, and aborts after four in a row, so the
 * collection asked for here must never leave it there (at 0.85 it did, inside that collection).
 */
const STOP_AT = 0.7;
/** After a collection that found the heap below the stop, the next one waits for this much more. */
const LOOK_AGAIN_AFTER = 0.05;
const MIB = 1048576;

/**
 * What the old generation (where the table lives) may hold. V8's heap limit also counts room for
 * the young generation (three semi-spaces: 48 MB on Node 20, 192 MB on Node 24), which the table
 * cannot use: when --max-old-space-size is given it is the bound, else the limit less that room.
 */
function oldGenerationLimit(): number {
  const given = v8FlagAtStart('max-old-space-size');
  if (given !== undefined && /^\d+$/.test(given)) return Number(given) * MIB;
  const limit = getHeapStatistics().heap_size_limit;
  return Math.max(limit - 192 * MIB, limit / 2);
}

/** What one running process costs in the linker's table (its image included), and the reader's note of it. */
const BYTES_PER_LIVE_PROCESS = 2048;

/**
 * Running processes the linker may keep in memory before it parks the least recently used: a
 * quarter of the old generation, at most `most`. The rest of the heap is the readers', the
 * writer's and garbage's.
 */
export function liveProcessRoom(most: number): number {
  return Math.max(1024, Math.min(most, Math.floor((0.25 * oldGenerationLimit()) / BYTES_PER_LIVE_PROCESS)));
}

let collect: (() => void) | undefined;

/** A full collection on demand, asked for only when the heap looks nearly full. */
function fullCollection(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

export class HeapRoom {
  private readonly limitBytes = oldGenerationLimit();
  private readonly stopBytes = STOP_AT * this.limitBytes;
  /** The heap size (garbage included) at which to collect and look. */
  private lookAt = this.stopBytes;

  constructor(private readonly path: string) {}

  /** After each batch (~1 µs): throws when the live heap, garbage collected first, is past the stop. */
  check(events: number, liveProcesses: () => number): void {
    if (getHeapStatistics().used_heap_size < this.lookAt) return;
    fullCollection();
    const used = getHeapStatistics().used_heap_size;
    if (used < this.stopBytes) {
      this.lookAt = Math.max(this.stopBytes, used + LOOK_AGAIN_AFTER * this.limitBytes);
      return;
    }
    const mb = (n: number): string => `${Math.round(n / MIB)} MB`;
    throw new PedigreeError(
      'MEMORY',
      `${this.path}: the import stopped after ${events.toLocaleString('en')} events: it holds ${liveProcesses().toLocaleString('en')} running processes (evidence in which processes never exit keeps every one whose pid was not reused), ${mb(used)} of the ${mb(this.limitBytes)} this process may use; nothing was written. Give it more with NODE_OPTIONS=--max-old-space-size=MB (on a machine with the memory), or import the file in parts`,
    );
  }
}
