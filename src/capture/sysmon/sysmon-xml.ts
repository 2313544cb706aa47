import { BadRecord } from '../record-errors.js';

/** One Sysmon `<Event>`: the System fields the lineage uses and every EventData item. */
export interface SysmonEvent {
  eventId: number;
  computer: string | undefined;
  /** `TimeCreated SystemTime`, as written. */
  systemTime: string | undefined;
  recordId: string | undefined;
  data: Record<string, string>;
  /** The XML was cut before `</Event>` (syslog's message size limit): the last field is partial. */
  truncated: string | undefined;
}

/** A whole event, or (for a message cut by syslog's size limit) whatever follows `<Event>`. */
const EVENT = /<Event(?:\s[^>]*)?>(?:[\s\S]*?<\/Event>|[\s\S]*$)/;

/**
 * The `<Event>…</Event>` XML inside a line: raw in syslog lines, or as a string inside a SIEM's
 * JSON row (Sentinel `SyslogMessage`, Splunk `_raw`, Elastic `message`/`event.original`).
 */
export function extractEventXml(line: string): string | undefined {
  const raw = EVENT.exec(line);
  if (raw) return raw[0];
  if (!line.includes('\\u003cEvent') && !line.includes('<Event')) return undefined;
  const json = JSON.parse(line.slice(line.indexOf('{'))) as unknown;
  return findXmlString(json);
}

function findXmlString(v: unknown): string | undefined {
  if (typeof v === 'string') return EVENT.exec(v)?.[0];
  if (v !== null && typeof v === 'object') {
    for (const item of Object.values(v)) {
      const found = findXmlString(item);
      if (found) return found;
    }
  }
  return undefined;
}

/** Parses Sysmon's flat event XML with targeted patterns (its layout is fixed). */
export function parseSysmonXml(xml: string): SysmonEvent {
  const id = /<EventID(?:\s[^>]*)?>(\d+)<\/EventID>/.exec(xml);
  if (!id) throw new BadRecord('Sysmon event without <EventID>');
  const data: Record<string, string> = {};
  const re = /<Data Name=["']([^"']+)["'](?:\s*\/>|>([\s\S]*?)(<\/Data>|$))/g;
  let truncated: string | undefined;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    data[m[1]!] = unescapeXml(m[2] ?? '');
    if (m[2] !== undefined && m[3] === '') truncated = m[1];
    if (m[0].length === 0) break;
  }
  if (truncated === undefined && !xml.endsWith('</Event>')) truncated = '(end of event)';
  return {
    truncated,
    eventId: Number(id[1]),
    computer: /<Computer>([^<]*)<\/Computer>/.exec(xml)?.[1],
    systemTime: /<TimeCreated SystemTime=["']([^"']+)["']/.exec(xml)?.[1],
    recordId: /<EventRecordID>(\d+)<\/EventRecordID>/.exec(xml)?.[1],
    data,
  };
}

function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_all, name: string) => {
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    }
  });
}
