import type { LineageEvent } from '../events/lineage-event.js';
import { EventBatcher } from './event-batcher.js';
import type { ReaderContext } from './reader.js';
import { badRecord, describeParseError } from './record-errors.js';
import { isRegexSpace } from './regex-space.js';

/**
 * The loop every record-per-line (or record-per-JSON-value) reader shares: skips blank
 * records, turns each into lineage events, handles a damaged one the way the user chose
 * (`--skip-bad` warns, otherwise the import stops at its line), and yields batches. Records
 * arrive in groups (the lines of a chunk). `convert` returns the record's events, or its one event.
 */
export async function* eventsFromRecords(
  records: AsyncIterable<readonly { text: string; line: number }[]>,
  ctx: ReaderContext,
  convert: (text: string, line: number) => Iterable<LineageEvent> | LineageEvent,
  batchSize?: number,
): AsyncIterable<LineageEvent[]> {
  const out = new EventBatcher(batchSize);
  for await (const records_ of records) {
    for (const { text, line } of records_) {
      if (isBlank(text)) continue;
      try {
        const events = convert(text, line);
        // One event per record (JSON lines) needs no array around it.
        if (Symbol.iterator in events) for (const ev of events) out.push(ev);
        else out.push(events);
      } catch (err) {
        badRecord(ctx, line, describeParseError(err));
      }
      // A full batch leaves at once, not at the end of the group (a 1 MiB chunk's lines): the
      // events of a whole group outlive the worker's young generation and are copied out of it.
      const full = out.take();
      if (full) yield full;
    }
  }
  const last = out.take(true);
  if (last) yield last;
}

/** text.trim() === '', without trimming a line that starts with something else (nearly all). */
function isBlank(text: string): boolean {
  return text.length === 0 || (isRegexSpace(text.charCodeAt(0)) && text.trim() === '');
}
