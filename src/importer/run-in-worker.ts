import { LineTooLong } from '../capture/line-splitter.js';
import type { ReaderContext } from '../capture/reader.js';
import { InputError, PedigreeError, type ErrorCode } from '../util/errors.js';
import type { PipelineStats } from './capture-pipeline.js';
import type { ContentIdentity } from './content-hash.js';
import { PackedRowsReader } from './packed-rows.js';
import type { RowWriter } from './row-writer.js';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/start-worker.js';
import type { SerializedError, WorkerJob, WorkerMessage } from './worker-protocol.js';
import { ChunkFeeder } from './chunk-feeder.js';
import { holdLowHeapGrowth } from './worker-heap-growth.js';

/**
 * The worker's young generation (V8's default lets it grow to ~48 MB). At 12 MB a scavenge came
 * every few ms and copied out much of what it found (a batch's events, the rows being packed):
 * the worker spent a fifth of its CPU collecting (300k JSON-lines execs, profiled). 32 MB took
 * its peak RSS past 300 MB at 5M execs only while V8 let the old generation grow to 4× its live
 * state; with the growing factor held low (worker-heap-growth.ts) it stays under.
 */
const WORKER_YOUNG_GENERATION_MB = 32;

/**
 * Reads and links the capture in a worker thread while this thread only inserts rows: parsing
 * and SQLite then use both cores. Each batch is acknowledged so the worker never runs far ahead.
 */
export function runInWorker(
  job: WorkerJob,
  writer: RowWriter,
  ctx: ReaderContext,
  onProgress: (bytes: number, events: number) => void,
  /** A plain file this thread reads and hands over (the worker then does not read it), each chunk seen by onChunk first. */
  feed?: { onChunk: (chunk: Buffer) => void },
): Promise<{
  stats: PipelineStats;
  sha256?: string;
  hashedBytes: number;
  content?: ContentIdentity;
  cpuSeconds?: number;
  oldGenerationPeakBytes?: number;
  fedWhole: boolean;
}> {
  return new Promise((resolve, reject) => {
    const releaseHeapGrowth = holdLowHeapGrowth();
    let worker: Worker;
    try {
      worker = startWorker(import.meta.url, './import-worker', {
        workerData: { ...job, fed: feed !== undefined } satisfies WorkerJob,
        // No bound on its old generation: V8 treats running into one as fatal for the whole process
        // in some allocations (JSON.parse of a long line; a worker's start on Node 24), not as the
        // worker's own ERR_WORKER_OUT_OF_MEMORY, so a bound turned a long line into a crash. Its
        // growth is held low instead (holdLowHeapGrowth).
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
    } catch (err) {
      releaseHeapGrowth();
      throw err;
    }
    const packed = new PackedRowsReader(writer);
    const feeder = feed ? new ChunkFeeder(worker, job.path, feed.onChunk) : null;
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      releaseHeapGrowth();
      feeder?.stop();
      void worker.terminate();
      fn();
    };
    try {
      feeder?.start();
    } catch (err) {
      finish(() => reject(err));
    }
    worker.on('message', (m: WorkerMessage) => {
      try {
        switch (m.t) {
          case 'rows':
            // Machine info first: which host a name means can depend on its boot time.
            for (const s of m.side) if (s.t === 'hostinfo') writer.hostInfo(s.ev);
            packed.write(m.rows);
            for (const s of m.side) {
              // Exhaustive (lint): a new kind of side row cannot be dropped here unnoticed.
              switch (s.t) {
                case 'hostinfo': // written above
                  break;
                case 'container':
                  writer.container(s.ev);
                  break;
                case 'user':
                  writer.user(s.ev);
                  break;
                case 'alert':
                  writer.alert(s.ev, s.execId);
                  break;
              }
            }
            onProgress(m.bytes, m.events);
            {
              // A row target with full buffers holds the worker back until they drain.
              const drained = writer.drained();
              if (drained === null) worker.postMessage('ack');
              else
                drained.then(
                  () => worker.postMessage('ack'),
                  (err: unknown) => finish(() => reject(err)),
                );
            }
            return;
          case 'taken':
            feeder?.taken();
            return;
          case 'warn':
            ctx.warn(m.warning);
            return;
          case 'truncated':
            ctx.markTruncated(m.offset);
            return;
          case 'info':
            ctx.setCaptureInfo(m.info);
            return;
          case 'done':
            finish(() =>
              resolve({
                stats: m.stats,
                sha256: m.sha256,
                hashedBytes: m.bytes,
                cpuSeconds: m.cpuSeconds,
                oldGenerationPeakBytes: m.oldGenerationPeakBytes,
                fedWhole: feeder?.whole ?? false,
                content: m.content && { ...m.content, checkpoints: Buffer.from(m.content.checkpoints) },
              }),
            );
            return;
          case 'error':
            finish(() => reject(reviveError(m.error)));
            return;
        }
      } catch (err) {
        finish(() => reject(err));
      }
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`import worker stopped with code ${code}`))));
  });
}

/** The error the reading thread would have thrown, as far as the importer tells errors apart. */
function reviveError(e: SerializedError): Error {
  if (e.location && e.detail !== undefined) return new InputError((e.code ?? 'INPUT_CORRUPT') as ErrorCode, e.location, e.detail);
  if (e.name === 'PedigreeError' || e.name === 'InputError') return new PedigreeError((e.code ?? 'INPUT_CORRUPT') as ErrorCode, e.message);
  if (e.name === 'LineTooLong' && e.location?.line !== undefined) return new LineTooLong(e.location.line, e.location.offset ?? 0);
  const err = (e.name === 'RangeError' ? new RangeError(e.message) : e.name === 'TypeError' ? new TypeError(e.message) : new Error(e.message)) as Error & {
    code?: string;
    compressedOffset?: number;
  };
  err.name = e.name;
  if (e.code) err.code = e.code;
  if (e.compressedOffset !== undefined) err.compressedOffset = e.compressedOffset;
  return err;
}
