import type { LineageEvent } from '../events/lineage-event.js';
import type { CaptureReader, ReaderContext } from '../capture/reader.js';
import { Linker, type LinkerOptions, type RowSink } from '../linker/linker.js';
import { PedigreeError } from '../util/errors.js';
import { HeapRoom, liveProcessRoom } from './heap-room.js';
import { openParkingStore } from './parking-store.js';
import { holdLowHeapGrowth } from './worker-heap-growth.js';

export interface PipelineStats {
  events: number;
  firstTs: bigint | null;
  lastTs: bigint | null;
  processes: number;
  execs: number;
  /** Execs earlier captures already held, recorded as seen again instead of written twice. */
  execsSeenAgain?: number;
  /** Processes of earlier captures this capture extended. */
  processesResumed?: number;
  /** Times a running process was parked out of memory (the linker's table is capped). */
  processesParked?: number;
}

/**
 * Running processes the linker holds in memory before it parks the least recently used in a
 * temporary database: ~1.4 KB of RSS each, so ~23 MB at this default (less when the heap is
 * smaller: a quarter of it). A host runs a few thousand processes at a time; only evidence in
 * which processes never exit (or are never seen to) reaches it. At 65,536 the table alone took
 * the 1M-exec audit import to 356 MB. PEDIGREE_LIVE_PROCESS_CAP overrides it (tests park with 1).
 */
const LIVE_PROCESS_CAP = 16_384;

function liveProcessCap(): number {
  const given = process.env.PEDIGREE_LIVE_PROCESS_CAP;
  if (given === undefined || given === '') return liveProcessRoom(LIVE_PROCESS_CAP);
  if (!/^[1-9]\d*$/.test(given)) throw new PedigreeError('USAGE', `PEDIGREE_LIVE_PROCESS_CAP must be a positive whole number, not '${given}'`);
  return Number(given);
}

/** The content for the reader's `read`, its chunks possibly in reused memory (ReaderInput.stream). */
type PipelineInput = { stream: AsyncIterable<Buffer>; path: string; siblings?: string[] };

/**
 * Streams one input through its reader into the linker. The same loop runs in the importing
 * thread for small files and in a worker for large ones; only the sink differs.
 */
export async function runCapturePipeline(
  reader: CaptureReader,
  input: PipelineInput,
  ctx: ReaderContext,
  sink: RowSink,
  ids: LinkerOptions,
  onBatch: (events: number) => void | Promise<void>,
): Promise<PipelineStats> {
  // Once processes are parked, the heap holds a bounded table and much short-lived garbage
  // (records, their JSON): V8's default growth let it reach 4x what a collection kept.
  let releaseHeapGrowth: (() => void) | undefined;
  const openStore = () => {
    releaseHeapGrowth ??= holdLowHeapGrowth();
    return openParkingStore();
  };
  const linker = new Linker(sink, {
    ...ids,
    parking: { cap: liveProcessCap(), open: openStore },
    warn: (message, line) => ctx.warn({ location: line === undefined ? { file: input.path } : { file: input.path, line }, message }),
  });
  const stats: PipelineStats = { events: 0, firstTs: null, lastTs: null, processes: 0, execs: 0 };
  try {
    const batches = readerBatches(reader, input, ctx);
    const room = new HeapRoom(input.path);
    for await (const batch of batches) {
      linkBatch(linker, batch, stats);
      room.check(stats.events, () => linker.liveProcessCount());
      await onBatch(stats.events);
    }
    const live = linker.liveProcessCount();
    const parked = linker.parkedProcessCount();
    linker.finish();
    if (process.env.PEDIGREE_TIMING !== undefined)
      process.stderr.write(`timing: ${live + parked} processes running at the end, ${parked} of them parked; ${linker.processesParked} parkings\n`);
  } finally {
    linker.close();
    releaseHeapGrowth?.();
  }
  stats.processes = linker.processCount;
  stats.execs = linker.execCount;
  stats.execsSeenAgain = linker.execsSeenAgain;
  stats.processesResumed = linker.processesResumed;
  stats.processesParked = linker.processesParked;
  return stats;
}

/**
 * One batch into the linker. A function of its own: the optimising compiler then compiles this
 * loop once, instead of the whole pipeline on stack (OSR) and again after leaving the loop.
 */
function linkBatch(linker: Linker, batch: LineageEvent[], stats: PipelineStats): void {
  for (const ev of batch) {
    linker.push(ev);
    if (ev.ts > 0n && ev.kind !== 'container' && ev.kind !== 'user' && ev.kind !== 'hostinfo') {
      if (stats.firstTs === null || ev.ts < stats.firstTs) stats.firstTs = ev.ts;
      if (stats.lastTs === null || ev.ts > stats.lastTs) stats.lastTs = ev.ts;
    }
  }
  stats.events += batch.length;
}

function readerBatches(reader: CaptureReader, input: PipelineInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
  return reader.read({ stream: input.stream, path: input.path, siblings: input.siblings ?? [] }, ctx);
}
