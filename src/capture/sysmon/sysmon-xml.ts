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
  const truncated = dataItems(xml, data) ?? (xml.endsWith('</Event>') ? undefined : '(end of event)');
  return {
    truncated,
    eventId: Number(id[1]),
    computer: /<Computer>([^<]*)<\/Computer>/.exec(xml)?.[1],
    systemTime: /<TimeCreated SystemTime=["']([^"']+)["']/.exec(xml)?.[1],
    recordId: /<EventRecordID>(\d+)<\/EventRecordID>/.exec(xml)?.[1],
    data,
  };
}

const DATA = '<Data Name=';

/**
 * Every `<Data Name="…">value</Data>` (or `<Data Name="…"/>`) item into `data`, scanned with
 * indexOf: a regular expression per item made a match array per field of every event. Returns
 * the name of an item the text ends inside of (a message cut short), if any.
 */
function dataItems(xml: string, data: Record<string, string>): string | undefined {
  for (let at = xml.indexOf(DATA); at >= 0; at = xml.indexOf(DATA, at + 1)) {
    const open = xml.charCodeAt(at + DATA.length);
    if (open !== 34 && open !== 39) continue;
    const nameStart = at + DATA.length + 1;
    let nameEnd = nameStart;
    while (nameEnd < xml.length && xml.charCodeAt(nameEnd) !== 34 && xml.charCodeAt(nameEnd) !== 39) nameEnd++;
    if (nameEnd === nameStart || nameEnd >= xml.length) continue;
    let k = nameEnd + 1;
    while (k < xml.length && isXmlSpace(xml.charCodeAt(k))) k++;
    const name = xml.slice(nameStart, nameEnd);
    if (xml.startsWith('/>', k)) {
      data[name] = '';
      at = k;
      continue;
    }
    if (xml.charCodeAt(nameEnd + 1) !== 62 /* > */) continue;
    const close = xml.indexOf('</Data>', nameEnd + 2);
    data[name] = unescapeXml(xml.slice(nameEnd + 2, close < 0 ? xml.length : close));
    if (close < 0) return name;
    at = close;
  }
  return undefined;
}

function isXmlSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
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
