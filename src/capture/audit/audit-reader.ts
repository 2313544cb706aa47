import type { LineageEvent } from '../../events/lineage-event.js';
import { EventBatcher, YOUNG_BATCH } from '../event-batcher.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, badRecord, defaultHost } from '../record-errors.js';
import type { AuditEvent } from './audit-event.js';
import { auditEventToLineage } from './audit-to-lineage.js';
import { EventGrouper } from './event-grouper.js';
import { LINEAGE_TYPES, parseAuditLine } from './record-parser.js';
import { AUOMS_TYPES, auomsEvent, unwrapSyslogJson } from './syslog-json.js';

const WANTED: ReadonlySet<string> = new Set([...LINEAGE_TYPES, ...AUOMS_TYPES]);

const DETECT = /(?:^|\n)[^\n]*type=(?:[A-Z_]+|1[34]\d\d) (?:msg=)?audit\(\d+\.\d+:\d+\):/;
/** A SIEM's JSON syslog row whose message is an audit record. */
const DETECT_SYSLOG_JSON = /^\{[^\n]*"(?:SyslogMessage|message|_raw)"\s*:\s*"(?:[^"\\]|\\.)*type=(?:[A-Z_]+|1[34]\d\d) (?:msg=)?audit\(\d+\.\d+:\d+\):/m;

/** Linux audit logs (auditd RAW or ENRICHED, `node=` prefixes, kmsg/syslog forms). */
export const auditReader: CaptureReader = {
  format: 'audit',
  description: 'Linux audit log (audit.log, RAW or ENRICHED; also AUOMS and audit records inside Syslog JSON exports)',
  detect(head) {
    const text = head.toString('utf8', 0, Math.min(head.length, 16384));
    return text.startsWith('{') ? DETECT_SYSLOG_JSON.test(text) : DETECT.test(text);
  },
  async *read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    const host = defaultHost(ctx);
    const grouper = new EventGrouper();
    const out = new EventBatcher(YOUNG_BATCH);
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
    for await (const batch of lineBatches(input.stream))
      for (const { text, line } of batch) {
        let rec;
        let rowHost: string | undefined;
        try {
          let record = text;
          if (text.charCodeAt(0) === 123 /* { */) {
            const row = unwrapSyslogJson(text);
            if (row === null) continue;
            record = row.message;
            rowHost = row.host;
          }
          rec = parseAuditLine(record, WANTED);
        } catch (err) {
          if (!(err instanceof BadRecord)) throw err;
          // A syslog export holds other programs' messages too: only audit-looking ones can be damaged.
          if (rowHost === undefined || /type=\S+ (?:msg=)?audit\(/.test(text)) badRecord(ctx, line, err.message);
          continue;
        }
        if (rec === null || rec === 'skip') continue;
        if (rec.node === undefined && rowHost !== undefined) {
          rec.node = rowHost;
          rec.key = `${rowHost}${rec.key}`;
        }
        if (AUOMS_TYPES.has(rec.type)) {
          try {
            emit([auomsEvent(rec, line)]);
          } catch (err) {
            if (!(err instanceof BadRecord)) throw err;
            badRecord(ctx, line, err.message);
          }
          const ready = out.take();
          if (ready) yield ready;
          continue;
        }
        emit(grouper.add(rec, line));
        const batch = out.take();
        if (batch) yield batch;
      }
    emit(grouper.finish());
    const last = out.take(true);
    if (last) yield last;
  },
};
