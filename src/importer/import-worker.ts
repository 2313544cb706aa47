import { Readable } from 'node:stream';
import { getHeapSpaceStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { readerByName } from '../capture/formats.js';
import { LineTooLong } from '../capture/line-splitter.js';
import type { ReaderContext } from '../capture/reader.js';
import type { AlertEvent, ContainerEvent, HostInfoEvent, UserEvent } from '../events/lineage-event.js';
import type { RowSink } from '../linker/linker.js';
import type { ExecRow, ProcessRow } from '../linker/rows.js';
import { InputError } from '../util/errors.js';
import { threadCpuSeconds } from '../util/thread-cpu.js';
import { runCapturePipeline } from './capture-pipeline.js';
import { GzipDamageNote, openContent, RunningHash } from './open-input.js';
import { ContentHasher } from './content-hash.js';
import { PackedRowsBuilder } from './packed-rows.js';
import type { ParentMessage, SideRow, WorkerJob, WorkerMessage } from './worker-protocol.js';

const ROWS_PER_MESSAGE = 5000;
const MAX_IN_FLIGHT = 4;

const port = parentPort;
if (!port) throw new Error('import-worker must run in a worker thread');
const job = workerData as WorkerJob;

let inFlight = 0;
let wake: (() => void) | null = null;
const fedChunks: (Buffer | null)[] = [];
let chunkArrived: (() => void) | null = null;
port.on('message', (m: ParentMessage) => {
  if (m === 'ack') {
    inFlight -= 1;
    wake?.();
    wake = null;
    return;
  }
  fedChunks.push(m.t === 'chunk' ? Buffer.from(m.data, 0, m.length) : null);
  chunkArrived?.();
  chunkArrived = null;
});

/** The file's chunks as the importing thread hands them over (null: the end). */
async function* chunksFromParent(): AsyncGenerator<Buffer> {
  for (;;) {
    while (fedChunks.length === 0) await new Promise<void>((resolve) => (chunkArrived = resolve));
    const chunk = fedChunks.shift() as Buffer | null;
    if (chunk === null) return;
    post({ t: 'taken' });
    yield chunk;
  }
}

const post = (m: WorkerMessage): void => port.postMessage(m);

/** The largest this thread's old generation was seen, in bytes (sampled as each batch leaves). */
const oldGeneration = {
  peak: 0,
  sample(): void {
    let bytes = 0;
    for (const s of getHeapSpaceStatistics()) if (s.space_name !== 'new_space' && s.space_name !== 'new_large_object_space') bytes += s.space_size;
    if (bytes > this.peak) this.peak = bytes;
  },
};

/** Packs rows into transferable buffers and posts them in batches, waiting when the importer lags. */
class PackedSink implements RowSink {
  private readonly packed = new PackedRowsBuilder();
  side: SideRow[] = [];
  exec(r: ExecRow): void {
    this.packed.exec(r);
  }
  process(r: ProcessRow): void {
    this.packed.process(r);
  }
  container(ev: ContainerEvent): void {
    this.side.push({ t: 'container', ev });
  }
  user(ev: UserEvent): void {
    this.side.push({ t: 'user', ev });
  }
  hostInfo(ev: HostInfoEvent): void {
    this.side.push({ t: 'hostinfo', ev });
  }
  alert(ev: AlertEvent, execId: number | null): void {
    this.side.push({ t: 'alert', ev, execId });
  }
  full(): boolean {
    return this.packed.execs + this.packed.procs >= ROWS_PER_MESSAGE;
  }
  async send(bytes: number, events: number): Promise<void> {
    const { rows, transfer } = this.packed.take();
    port?.postMessage({ t: 'rows', rows, side: this.side, bytes, events } satisfies WorkerMessage, transfer);
    this.side = [];
    oldGeneration.sample();
    inFlight += 1;
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
  }
}

async function main(): Promise<void> {
  const reader = readerByName(job.format);
  let bytes = 0;
  // A plain file's bytes are its content: the content hasher's sha256 is the file's too.
  const hash = job.hash && job.gzip ? new RunningHash() : null;
  const content = job.content ? new ContentHasher(job.probeLengths) : null;
  const gzipDamage = new GzipDamageNote();
  const countRaw = (chunk: Buffer): void => {
    bytes += chunk.length;
    hash?.update(chunk);
  };
  const stream = job.fed
    ? Readable.from(
        (async function* () {
          for await (const chunk of chunksFromParent()) {
            countRaw(chunk);
            yield chunk;
          }
        })(),
      )
    : openContent(job.path, job.gzip, countRaw, (chunk) => content?.update(chunk), job.skipBad ? { onDataDamage: gzipDamage.record } : {});
  const ctx: ReaderContext = {
    file: job.path,
    skipBad: job.skipBad,
    options: job.options,
    warn: (warning) => post({ t: 'warn', warning }),
    markTruncated: (offset) => post({ t: 'truncated', offset }),
    setCaptureInfo: (info) => post({ t: 'info', info }),
  };
  const sink = new PackedSink();
  const stats = await runCapturePipeline(reader, { stream, path: job.path }, ctx, sink, job, async (events) => {
    if (sink.full()) await sink.send(bytes, events);
  });
  await sink.send(bytes, stats.events);
  gzipDamage.report(ctx, stats.events);
  const whole = content && stream.readableEnded ? content.finish() : undefined;
  const sha256 = hash ? hash.digest() : job.hash && !job.gzip ? whole?.sha256 : undefined;
  post({ t: 'done', stats, bytes, sha256, content: whole, cpuSeconds: threadCpuSeconds() ?? undefined, oldGenerationPeakBytes: oldGeneration.peak });
}

main().catch((err: unknown) => {
  const e = err as Error & { code?: string; compressedOffset?: unknown };
  post({
    t: 'error',
    error: {
      name: e.name ?? 'Error',
      code: e.code,
      message: e.message ?? String(err),
      location: err instanceof InputError ? err.location : err instanceof LineTooLong ? { file: job.path, line: err.line, offset: err.offset } : undefined,
      detail: err instanceof InputError ? err.detail : undefined,
      compressedOffset: typeof e.compressedOffset === 'number' ? e.compressedOffset : undefined,
    },
  });
});
