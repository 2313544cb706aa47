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
    return readSysmon(input, ctx, new SysmonLineage(defaultHost(ctx)));
  },
};

/** The reader's loop, with the lineage (and its bounds) given: tests bound it lower. */
export async function* readSysmon(input: ReaderInput, ctx: ReaderContext, lineage: SysmonLineage): AsyncIterable<LineageEvent[]> {
  let announced = false;
  yield* eventsFromRecords(
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
      const events = lineage.convert(ev, line);
      if (!announced && lineage.forgottenProcesses + lineage.forgottenAliases > 0) {
        announced = true;
        ctx.warn({
          location: { file: ctx.file, line },
          message: `${forgettingSays(lineage)}: from here on the older half is forgotten whenever the bound is reached`,
        });
      }
      return events;
    },
    YOUNG_BATCH,
  );
  if (announced) {
    ctx.warn({
      location: { file: ctx.file },
      message: `${forgettingSays(lineage)}: ${lineage.forgottenProcesses.toLocaleString('en')} running processes and ${lineage.forgottenAliases.toLocaleString('en')} exec-in-place GUIDs were forgotten to keep memory bounded`,
    });
  }
}

function forgettingSays(lineage: SysmonLineage): string {
  return `more than ${lineage.held.toLocaleString('en')} Sysmon processes ran without a ProcessTerminate (or exec'd in place); an exec in place of a forgotten process is recorded as a new process of the same pid, and an event naming a forgotten exec-in-place GUID is linked to that GUID`;
}
