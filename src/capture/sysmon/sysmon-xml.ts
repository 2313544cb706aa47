import { BadRecord } from '../record-errors.js';
import { detachedString } from '../detached-string.js';

/** One Sysmon `<Event>`: the System fields the lineage uses and the EventData items it reads. */
export interface SysmonEvent {
  eventId: number;
  computer: string | undefined;
  /** `TimeCreated SystemTime`, as written. */
  systemTime: string | undefined;
  data: SysmonData;
  /** The XML was cut before `</Event>` (syslog's message size limit): the last field is partial. */
  truncated: string | undefined;
}

/** The EventData items of ProcessCreate (1) and ProcessTerminate (5) the lineage reads. */
const FIELDS = [
  'UtcTime',
  'ProcessGuid',
  'ProcessId',
  'Image',
  'CommandLine',
  'CurrentDirectory',
  'User',
  'LogonId',
  'ParentProcessGuid',
  'ParentProcessId',
  'ParentImage',
  'ParentCommandLine',
  'ParentUser',
] as const;

export type SysmonField = (typeof FIELDS)[number];

/** Those items of one event; the others are scanned past (an event has ~20, most unused). */
export type SysmonData = { [F in SysmonField]: string | undefined };

/** A fresh SysmonData: an object literal of one fixed shape (cheaper than a class with 13 fields). */
function noData(): SysmonData {
  return {
    UtcTime: undefined,
    ProcessGuid: undefined,
    ProcessId: undefined,
    Image: undefined,
    CommandLine: undefined,
    CurrentDirectory: undefined,
    User: undefined,
    LogonId: undefined,
    ParentProcessGuid: undefined,
    ParentProcessId: undefined,
    ParentImage: undefined,
    ParentCommandLine: undefined,
    ParentUser: undefined,
  };
}

/** FIELDS by their first character's code, so a name in the XML is matched without slicing it out. */
const BY_FIRST: SysmonField[][] = [];
for (const f of FIELDS) (BY_FIRST[f.charCodeAt(0)] ??= []).push(f);

/** The wanted field whose name starts at `start` and is followed by a quote, if any. */
function fieldAt(xml: string, start: number): SysmonField | undefined {
  const candidates = BY_FIRST[xml.charCodeAt(start)];
  if (candidates === undefined) return undefined;
  for (const f of candidates) {
    if (!xml.startsWith(f, start)) continue;
    const q = xml.charCodeAt(start + f.length);
    if (q === 34 || q === 39) return f;
  }
  return undefined;
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

const EVENT_ID = /<EventID(?:\s[^>]*)?>(\d+)<\/EventID>/;
const COMPUTER = /<Computer>([^<]*)<\/Computer>/;
const SYSTEM_TIME = /<TimeCreated SystemTime=["']([^"']+)["']/;

/**
 * Parses Sysmon's flat event XML with targeted patterns (its layout is fixed; these three
 * measured faster than indexOf-based scans). EventData items are read for the event ids in
 * `dataOf` (all when absent); the others are only checked for being cut short.
 */
export function parseSysmonXml(xml: string, dataOf?: ReadonlySet<number>): SysmonEvent {
  const id = EVENT_ID.exec(xml);
  if (!id) throw new BadRecord('Sysmon event without <EventID>');
  const eventId = Number(id[1]);
  const data = noData();
  const truncated = dataItems(xml, dataOf === undefined || dataOf.has(eventId) ? data : undefined) ?? (xml.endsWith('</Event>') ? undefined : '(end of event)');
  return {
    truncated,
    eventId,
    computer: COMPUTER.exec(xml)?.[1],
    systemTime: SYSTEM_TIME.exec(xml)?.[1],
    data,
  };
}

const DATA = '<Data Name=';

/**
 * The `<Data Name="…">value</Data>` (or `<Data Name="…"/>`) items the lineage reads into `data`
 * (none when it is undefined), scanned with indexOf: a regular expression per item made a match
 * array per field of every event. Returns the name of an item the text ends inside of (a message
 * cut short), if any.
 */
function dataItems(xml: string, data: SysmonData | undefined): string | undefined {
  for (let at = xml.indexOf(DATA); at >= 0; at = xml.indexOf(DATA, at + 1)) {
    const open = xml.charCodeAt(at + DATA.length);
    if (open !== 34 && open !== 39) continue;
    const nameStart = at + DATA.length + 1;
    // The name runs to the next quote of either kind; a wanted one is recognised without scanning it.
    const field = data === undefined ? undefined : fieldAt(xml, nameStart);
    let nameEnd = nameStart;
    if (field !== undefined) nameEnd += field.length;
    else while (nameEnd < xml.length && xml.charCodeAt(nameEnd) !== 34 && xml.charCodeAt(nameEnd) !== 39) nameEnd++;
    if (nameEnd === nameStart || nameEnd >= xml.length) continue;
    let k = nameEnd + 1;
    while (k < xml.length && isXmlSpace(xml.charCodeAt(k))) k++;
    if (xml.startsWith('/>', k)) {
      if (field !== undefined) data![field] = '';
      at = k;
      continue;
    }
    if (xml.charCodeAt(nameEnd + 1) !== 62 /* > */) continue;
    const close = xml.indexOf('</Data>', nameEnd + 2);
    if (field !== undefined) data![field] = unescapeXml(xml.slice(nameEnd + 2, close < 0 ? xml.length : close));
    if (close < 0) return xml.slice(nameStart, nameEnd);
    at = close;
  }
  return undefined;
}

function isXmlSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** The value of an XML text node, copied out of the event's text (detached-string.ts). */
function unescapeXml(s: string): string {
  if (!s.includes('&')) return detachedString(s);
  // The replaced value is built of slices of the event's text, not copied: detached too.
  return detachedString(
    s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_all, name: string) => {
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
    }),
  );
}
