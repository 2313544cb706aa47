import type { LineageEvent } from '../../events/lineage-event.js';
import { EventBatcher } from '../event-batcher.js';
import { splitLines } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { badRecord, defaultHost, describeParseError } from '../record-errors.js';
import { SysmonLineage } from './sysmon-to-lineage.js';
import { extractEventXml, parseSysmonXml } from './sysmon-xml.js';

/** Sysmon for Linux events, in raw syslog lines or inside a SIEM's JSON rows. */
export const sysmonReader: CaptureReader = {
  format: 'sysmon',
  description: 'Sysmon for Linux XML events (raw syslog or SIEM JSON wrappers)',
  detect(head) {
    const text = head.toString('utf8', 0, Math.min(head.length, 65536));
    return text.includes('Linux-Sysmon') && (text.includes('<Event') || text.includes('\\u003cEvent'));
  },
  async *read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    const lineage = new SysmonLineage(defaultHost(ctx));
    const out = new EventBatcher();
    for await (const { text, line } of splitLines(input.stream)) {
      if (text.trim() === '') continue;
      try {
        const xml = extractEventXml(text);
        // Other syslog traffic in the same file is not Sysmon's and is passed over.
        if (xml === undefined) continue;
        const ev = parseSysmonXml(xml);
        if (ev.truncated !== undefined) {
          ctx.warn({
            location: { file: ctx.file, line },
            message: `Sysmon event cut short (syslog message size limit): ${ev.truncated} is incomplete`,
          });
        }
        for (const le of lineage.convert(ev, line)) out.push(le);
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
