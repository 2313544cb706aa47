import type { CaptureInfo, ImportWarning, ReaderOptions } from '../capture/reader.js';
import type { AlertEvent, ContainerEvent, HostInfoEvent, UserEvent } from '../events/lineage-event.js';
import type { PipelineStats } from './capture-pipeline.js';
import type { PackedRows } from './packed-rows.js';
import type { ContentIdentity } from './content-hash.js';

/** What the importing thread tells the worker to read. */
export interface WorkerJob {
  path: string;
  gzip: boolean;
  format: string;
  skipBad: boolean;
  options: ReaderOptions;
  firstProcessId: number;
  firstExecId: number;
  /** Hash the file while reading it (the importer has not hashed it already). */
  hash: boolean;
  /** Take the content's identity while reading it (else the importing thread takes it). */
  content: boolean;
  /** Content lengths at which to take a prefix digest (stored captures this one may extend). */
  probeLengths: number[];
  /** The importing thread reads the (plain) file and hands its chunks over (chunk-feeder.ts). */
  fed?: boolean;
}

/** Importing thread → worker: a batch acknowledged, or the file's next chunk, or its end. */
export type ParentMessage = 'ack' | { t: 'chunk'; data: ArrayBuffer; length: number } | { t: 'end' };

export type SideRow =
  | { t: 'container'; ev: ContainerEvent }
  | { t: 'user'; ev: UserEvent }
  | { t: 'hostinfo'; ev: HostInfoEvent }
  | { t: 'alert'; ev: AlertEvent; execId: number | null };

export interface SerializedError {
  name: string;
  code?: string;
  message: string;
  location?: { file: string; line?: number; offset?: number };
  detail?: string;
  /** Where a gzip stream was found damaged (open-input's gzipDamageOffset). */
  compressedOffset?: number;
}

/** Worker → importing thread. Rows come in batches; each batch is acknowledged (back-pressure). */
export type WorkerMessage =
  | { t: 'rows'; rows: PackedRows; side: SideRow[]; bytes: number; events: number }
  | { t: 'taken' }
  | { t: 'warn'; warning: ImportWarning }
  | { t: 'truncated'; offset: number }
  | { t: 'info'; info: CaptureInfo }
  | { t: 'done'; stats: PipelineStats; bytes: number; sha256?: string; content?: ContentIdentity; cpuSeconds?: number; oldGenerationPeakBytes?: number }
  | { t: 'error'; error: SerializedError };
