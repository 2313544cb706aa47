import type { LineageEvent } from '../../events/lineage-event.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { eventsFromRecords } from '../record-stream.js';
import { YOUNG_BATCH } from '../event-batcher.js';
import { eventFromJson } from './event-json.js';

/** pedigree's own JSON-lines event format. */
export const jsonlReader: CaptureReader = {
  format: 'jsonl',
  description: "pedigree's own JSON-lines lineage events (docs/event-format.md)",
  detect(head) {
    const text = head.toString('utf8', 0, Math.min(head.length, 4096)).trimStart();
    return text.startsWith('{') && /"kind"\s*:\s*"(fork|exec|exit|snapshot|container|user|hostinfo|alert)"/.test(text.split('\n', 1)[0] ?? '');
  },
  read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    return eventsFromRecords(
      lineBatches(input.stream),
      ctx,
      (text, line) => {
        const ev = eventFromJson(JSON.parse(text), text, ctx.options.host);
        ev.pos = { line };
        return ev;
      },
      YOUNG_BATCH,
    );
  },
};
