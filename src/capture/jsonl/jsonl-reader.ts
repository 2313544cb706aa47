import type { LineageEvent } from '../../events/lineage-event.js';
import { InputError } from '../../util/errors.js';
import { splitLines } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { EventShapeError, eventFromJson } from './event-json.js';

const BATCH = 4096;

/** pedigree's own JSON-lines event format. */
export const jsonlReader: CaptureReader = {
  format: 'jsonl',
  description: "pedigree's own JSON-lines lineage events (docs/event-format.md)",
  detect(head) {
    const text = head.toString('utf8', 0, Math.min(head.length, 4096)).trimStart();
    return text.startsWith('{') && /"kind"\s*:\s*"(fork|exec|exit|snapshot|container|user|hostinfo|alert)"/.test(text.split('\n', 1)[0] ?? '');
  },
  async *read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    let batch: LineageEvent[] = [];
    for await (const { text, line } of splitLines(input.stream)) {
      if (text.trim() === '') continue;
      let ev: LineageEvent;
      try {
        ev = eventFromJson(JSON.parse(text), text, ctx.options.host);
      } catch (err) {
        const detail = err instanceof EventShapeError ? err.message : `not valid JSON (${(err as Error).message})`;
        if (ctx.skipBad) {
          ctx.warn({ location: { file: ctx.file, line }, message: `skipped: ${detail}` });
          continue;
        }
        throw new InputError('INPUT_BAD_RECORD', { file: ctx.file, line }, detail);
      }
      ev.pos = { line };
      batch.push(ev);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  },
};
