import { Readable } from 'node:stream';
import type { ReaderContext, ReaderInput } from '../../src/capture/reader.js';
import type { LineageEvent } from '../../src/events/lineage-event.js';

export interface ReadWarning {
  line?: number;
  message: string;
}

/** Every event and warning a reader gives for `text`, read as one chunk of a file named `file`. */
export async function readWhole(
  text: string,
  file: string,
  read: (input: ReaderInput, ctx: ReaderContext) => AsyncIterable<LineageEvent[]>,
): Promise<{ events: LineageEvent[]; warnings: ReadWarning[] }> {
  const events: LineageEvent[] = [];
  const warnings: ReadWarning[] = [];
  const ctx: ReaderContext = {
    file,
    skipBad: false,
    options: {},
    warn: (w) => warnings.push({ line: w.location.line, message: w.message }),
    markTruncated() {},
    setCaptureInfo() {},
  };
  for await (const batch of read({ stream: Readable.from([Buffer.from(text)]), path: file, siblings: [] }, ctx)) events.push(...batch);
  return { events, warnings };
}

/** Events as text to compare, their bigints marked. */
export const bigintJson = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
