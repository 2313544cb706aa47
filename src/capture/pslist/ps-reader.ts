import type { LineageEvent } from '../../events/lineage-event.js';
import { EventBatcher } from '../event-batcher.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, badRecord, defaultHost } from '../record-errors.js';
import { psHeader, psRow, psRowWithoutHeader, type PsColumn } from './ps-text.js';
import { snapshotFromValues } from './snapshot-row.js';

const HEADER = /^\s*PID\s+PPID\b/;
const HEADERLESS = /^\s*\d+\s+\d+\s.*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d \d{4}/;

/** `ps -eo …` text, with or without its header row. lstart is read as UTC (docs/formats.md). */
export const psReader: CaptureReader = {
  format: 'ps',
  description: 'ps -eo … text (with or without header; lstart read as UTC)',
  detect(head) {
    const first = head.toString('utf8', 0, Math.min(head.length, 4096)).split('\n', 1)[0] ?? '';
    return HEADER.test(first) || HEADERLESS.test(first);
  },
  async *read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    const host = defaultHost(ctx);
    const out = new EventBatcher();
    let cols: PsColumn[] | null | undefined;
    let warned = false;
    for await (const batch of lineBatches(input.stream))
      for (const { text, line } of batch) {
        if (text.trim() === '') continue;
        try {
          if (cols === undefined) {
            cols = HEADER.test(text) ? psHeader(text) : null;
            if (cols) continue;
          }
          const values = cols ? psRow(text, cols) : psRowWithoutHeader(text);
          if (values.start_time !== undefined && !warned) {
            warned = true;
            ctx.warn({ location: { file: ctx.file, line }, message: 'ps lstart has no time zone: read as UTC (capture with TZ=UTC to make that true)' });
          }
          const ev = snapshotFromValues(values, host);
          ev.pos = { line };
          out.push(ev);
        } catch (err) {
          if (!(err instanceof BadRecord)) throw err;
          badRecord(ctx, line, err.message);
          continue;
        }
        const batch = out.take();
        if (batch) yield batch;
      }
    const last = out.take(true);
    if (last) yield last;
  },
};
