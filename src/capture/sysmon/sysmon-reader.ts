import type { LineageEvent } from '../../events/lineage-event.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { defaultHost } from '../record-errors.js';
import { eventsFromRecords } from '../record-stream.js';
import { YOUNG_BATCH } from '../event-batcher.js';
import { LINEAGE_EVENT_IDS, SysmonLineage } from './sysmon-to-lineage.js';
import { extractEventXml, parseSysmonXml } from './sysmon-xml.js';

/** Sysmon for Linux events, in raw syslog lines or inside a SIEM's JSON rows. */
export const sysmonReader: CaptureReader = {
  format: 'sysmon',
  description: 'Sysmon for Linux XML events (raw syslog or SIEM JSON wrappers)',
  detect(head) {
    const text = head.toString('utf8', 0, Math.min(head.length, 65536));
    return text.includes('Linux-Sysmon') && (text.includes('<Event') || text.includes('\\u003cEvent'));
  },
  read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    const lineage = new SysmonLineage(defaultHost(ctx));
    return eventsFromRecords(
      lineBatches(input.stream),
      ctx,
      (text, line) => {
        const xml = extractEventXml(text);
        // Other syslog traffic in the same file is not Sysmon's and is passed over.
        if (xml === undefined) return [];
        const ev = parseSysmonXml(xml, LINEAGE_EVENT_IDS);
        if (ev.truncated !== undefined) {
          ctx.warn({
            location: { file: ctx.file, line },
            message: `Sysmon event cut short (syslog message size limit): ${ev.truncated} is incomplete`,
          });
        }
        return lineage.convert(ev, line);
      },
      YOUNG_BATCH,
    );
  },
};
