import type { LineageEvent } from '../../events/lineage-event.js';
import { jsonValues } from '../json-values.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, defaultHost } from '../record-errors.js';
import { eventsFromRecords } from '../record-stream.js';
import { YOUNG_BATCH } from '../event-batcher.js';
import type { ImageTable } from './image-table.js';
import { TetragonLineage } from './tetragon-to-lineage.js';

const DETECT = /"process_(?:exec|exit|kprobe|tracepoint|uprobe|lsm|loader|connect|close|listen)"\s*:\s*\{/;

/** Events that named a forgotten image reported one by one; the rest are counted in the summary. */
const HITS_REPORTED = 10;

/** Tetragon JSON export: one event per line, or pretty-printed events one after another. */
export const tetragonReader: CaptureReader = {
  format: 'tetragon',
  description: 'Tetragon JSON export (tetragon.log, tetra getevents -o json)',
  detect(head) {
    const text = head.toString('utf8', 0, Math.min(head.length, 65536)).trimStart();
    return text.startsWith('{') && DETECT.test(text) && /"(?:exec_id|node_name)"/.test(text);
  },
  read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    return readTetragon(input, ctx, new TetragonLineage(defaultHost(ctx)));
  },
};

/** The reader's loop, with the lineage (and its image table) given: tests bound the table lower. */
export async function* readTetragon(input: ReaderInput, ctx: ReaderContext, lineage: TetragonLineage): AsyncIterable<LineageEvent[]> {
  const notices = new ForgettingNotices(lineage.images, ctx);
  yield* eventsFromRecords(
    jsonValues(input.stream),
    ctx,
    (text, line) => {
      const obj = JSON.parse(text) as unknown;
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new BadRecord('not a JSON object');
      const events = lineage.convert(obj as Record<string, unknown>);
      for (const ev of events) ev.pos = { line };
      notices.after(line);
      return events;
    },
    YOUNG_BATCH,
  );
  notices.summary();
}

/** Says when the image table starts forgetting, and which events named what it forgot: never silently. */
class ForgettingNotices {
  private announced = false;
  private hitsReported = 0;

  constructor(
    private readonly images: ImageTable,
    private readonly ctx: ReaderContext,
  ) {}

  after(line: number): void {
    const t = this.images;
    if (!this.announced && t.forgottenRunning > 0) {
      this.announced = true;
      this.ctx.warn({
        location: { file: this.ctx.file, line },
        message: `more than ${t.runningCap.toLocaleString('en')} Tetragon process images run at once (no process_exit seen for them): from here on the older ones are forgotten, half the bound at a time, to keep memory bounded; a later event that names a forgotten image is reported, as its exec is stated again and its children are linked by its exec_id`,
      });
    }
    if (t.forgottenHits > this.hitsReported && this.hitsReported < HITS_REPORTED) {
      this.hitsReported = t.forgottenHits;
      this.ctx.warn({
        location: { file: this.ctx.file, line },
        message:
          'this event names a Tetragon image the reader forgot (see the warning on held images; found by a test that now and then also reports an image never seen): its exec is stated again, or its process or parent is linked by exec_id only',
      });
    }
  }

  summary(): void {
    const t = this.images;
    if (t.forgottenRunning === 0 && t.forgottenHits === 0) return;
    this.ctx.warn({
      location: { file: this.ctx.file },
      message: `${(t.forgottenRunning + t.forgottenEnded).toLocaleString('en')} Tetragon process images were forgotten to keep memory bounded (${t.forgottenRunning.toLocaleString('en')} still running; at most ${t.runningCap.toLocaleString('en')} running and ${t.endedCap.toLocaleString('en')} ended images are held); ${t.forgottenHits.toLocaleString('en')} later events named one of them${t.forgottenHits > HITS_REPORTED ? ` (the first ${HITS_REPORTED} are reported at their lines)` : ''}`,
    });
  }
}
