import type { LineageEvent } from '../../events/lineage-event.js';
import { jsonValues } from '../json-values.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, defaultHost } from '../record-errors.js';
import { eventsFromRecords } from '../record-stream.js';
import { YOUNG_BATCH } from '../event-batcher.js';
import { TetragonLineage } from './tetragon-to-lineage.js';

const DETECT = /"process_(?:exec|exit|kprobe|tracepoint|uprobe|lsm|loader|connect|close|listen)"\s*:\s*\{/;

/** Tetragon JSON export: one event per line, or pretty-printed events one after another. */
export const tetragonReader: CaptureReader = {
  format: 'tetragon',
  description: 'Tetragon JSON export (tetragon.log, tetra getevents -o json)',
  detect(head) {
    const text = head.toString('utf8', 0, Math.min(head.length, 65536)).trimStart();
    return text.startsWith('{') && DETECT.test(text) && /"(?:exec_id|node_name)"/.test(text);
  },
  read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    const lineage = new TetragonLineage(defaultHost(ctx));
    return eventsFromRecords(
      jsonValues(input.stream),
      ctx,
      (text, line) => {
        const obj = JSON.parse(text) as unknown;
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new BadRecord('not a JSON object');
        const events = lineage.convert(obj as Record<string, unknown>);
        for (const ev of events) ev.pos = { line };
        return events;
      },
      YOUNG_BATCH,
    );
  },
};
