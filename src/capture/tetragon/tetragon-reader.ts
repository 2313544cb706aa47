import type { LineageEvent } from '../../events/lineage-event.js';
import { EventBatcher } from '../event-batcher.js';
import { jsonValues } from '../json-values.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, badRecord, defaultHost, describeParseError } from '../record-errors.js';
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
  async *read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    const lineage = new TetragonLineage(defaultHost(ctx));
    const out = new EventBatcher();
    for await (const { text, line } of jsonValues(input.stream)) {
      try {
        const obj = JSON.parse(text) as unknown;
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new BadRecord('not a JSON object');
        for (const ev of lineage.convert(obj as Record<string, unknown>)) {
          ev.pos = { line };
          out.push(ev);
        }
      } catch (err) {
        badRecord(ctx, line, describeParseError(err));
        continue;
      }
      const batch = out.take();
      if (batch) yield batch;
    }
    const last = out.take(true);
    if (last) yield last;
  },
};
