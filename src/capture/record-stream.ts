import type { LineageEvent } from '../events/lineage-event.js';
import { EventBatcher } from './event-batcher.js';
import type { ReaderContext } from './reader.js';
import { badRecord, describeParseError } from './record-errors.js';

/**
 * The loop every record-per-line (or record-per-JSON-value) reader shares: skips blank
 * records, turns each into lineage events, handles a damaged one the way the user chose
 * (`--skip-bad` warns, otherwise the import stops at its line), and yields batches. Records
 * arrive in groups (the lines of a chunk).
 */
export async function* eventsFromRecords(
  records: AsyncIterable<readonly { text: string; line: number }[]>,
  ctx: ReaderContext,
  convert: (text: string, line: number) => Iterable<LineageEvent>,
): AsyncIterable<LineageEvent[]> {
  const out = new EventBatcher();
  for await (const records_ of records) {
    for (const { text, line } of records_) {
      if (text.trim() === '') continue;
      try {
        for (const ev of convert(text, line)) out.push(ev);
      } catch (err) {
        badRecord(ctx, line, describeParseError(err));
      }
    }
    const batch = out.take();
    if (batch) yield batch;
  }
  const last = out.take(true);
  if (last) yield last;
}
