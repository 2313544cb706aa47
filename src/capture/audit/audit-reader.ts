import type { LineageEvent } from '../../events/lineage-event.js';
import { EventBatcher } from '../event-batcher.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, badRecord, defaultHost } from '../record-errors.js';
import type { AuditEvent } from './audit-event.js';
import { auditEventToLineage } from './audit-to-lineage.js';
import { EventGrouper } from './event-grouper.js';
import { parseAuditLine } from './record-parser.js';

const DETECT = /(?:^|\n)[^\n]*type=(?:[A-Z_]+|1[34]\d\d) (?:msg=)?audit\(\d+\.\d+:\d+\):/;

/** Linux audit logs (auditd RAW or ENRICHED, `node=` prefixes, kmsg/syslog forms). */
export const auditReader: CaptureReader = {
  format: 'audit',
  description: 'Linux audit log (audit.log, RAW or ENRICHED)',
  detect(head) {
    return DETECT.test(head.toString('utf8', 0, Math.min(head.length, 16384)));
  },
  async *read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    const host = defaultHost(ctx);
    const grouper = new EventGrouper();
    const out = new EventBatcher();
    const emit = (events: AuditEvent[]): void => {
      for (const ev of events) {
        try {
          for (const le of auditEventToLineage(ev, host)) out.push(le);
        } catch (err) {
          if (!(err instanceof BadRecord)) throw err;
          badRecord(ctx, ev.line, err.message);
        }
      }
    };
    for await (const batch of lineBatches(input.stream)) for (const { text, line } of batch) {
      let rec;
      try {
        rec = parseAuditLine(text);
      } catch (err) {
        if (!(err instanceof BadRecord)) throw err;
        badRecord(ctx, line, err.message);
        continue;
      }
      if (rec === null || rec === 'skip') continue;
      emit(grouper.add(rec, line));
      const batch = out.take();
      if (batch) yield batch;
    }
    emit(grouper.finish());
    const last = out.take(true);
    if (last) yield last;
  },
};
