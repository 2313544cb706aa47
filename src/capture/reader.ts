import type { LineageEvent } from '../events/lineage-event.js';
import type { InputLocation } from '../util/errors.js';

/** A warning about input that was merely incomplete or skipped, kept on the capture row. */
export interface ImportWarning {
  location: InputLocation;
  message: string;
}

/** What a reader reports back while it streams, besides the events themselves. */
export interface ReaderContext {
  /** The path as the user gave it, for messages. */
  readonly file: string;
  /** Skip damaged records with a warning instead of stopping (`--skip-bad` / `--skip-corrupt`). */
  readonly skipBad: boolean;
  /** Reader-specific options from the command line (`--map pid=ProcessId,…` for CSV). */
  readonly options: ReaderOptions;
  warn(warning: ImportWarning): void;
  /** The input ends mid-record at this byte offset; everything before it was read. */
  markTruncated(byteOffset: number): void;
  /** Facts about the capture as a whole (host name, tool version), when the format has them. */
  setCaptureInfo(info: CaptureInfo): void;
}

export interface ReaderOptions {
  /** Column mapping for process-list CSV: pedigree field → column name in the file. */
  map?: Record<string, string>;
  /** Host name to use when the input does not name one. */
  host?: string;
}

export interface CaptureInfo {
  host?: string;
  toolVersion?: string;
  formatVersion?: string;
}

/** The input as a reader sees it: already decompressed, with its first bytes for sniffing. */
export interface ReaderInput {
  /**
   * The decompressed content, chunk by chunk. A chunk may be memory that is read into again once
   * the next chunk is asked for (a plain file is read so, without an allocation per chunk): a
   * reader copies whatever it keeps.
   */
  stream: AsyncIterable<Buffer>;
  /** The other files of a multi-file capture (strace -ff); empty otherwise. */
  siblings: string[];
  /** Path of the (first) file. */
  path: string;
}

/**
 * One input format. `detect` looks at the first (decompressed) bytes and the file name;
 * `read` streams the content as batches of events, never holding the whole file.
 */
export interface CaptureReader {
  readonly format: string;
  readonly description: string;
  detect(head: Buffer, path: string): boolean;
  read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]>;
  /**
   * The content is binary, not lines: a large plain file is then read and hashed in a helper
   * thread straight into the memory `read` parses, and its lines are not counted.
   */
  readonly binary?: true;
}
