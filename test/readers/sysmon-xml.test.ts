import { describe, expect, it } from 'vitest';
import { parseProcessGuid } from '../../src/capture/sysmon/process-guid.js';
import { parseSysmonXml } from '../../src/capture/sysmon/sysmon-xml.js';

const event = (system: string, data: string, end = '</EventData></Event>'): string =>
  `<Event><System><Provider Name="Linux-Sysmon"/>${system}</System><EventData>${data}${end}`;

describe('Sysmon event XML: the searched-for shapes and the unusual ones', () => {
  it('reads EventID, Computer, SystemTime and the lineage items; unescapes values', () => {
    const ev = parseSysmonXml(
      event(
        '<EventID>1</EventID><TimeCreated SystemTime="2022-05-11T18:10:20.3Z"/><Computer>H1</Computer>',
        '<Data Name="ProcessId">7</Data><Data Name="Image">/bin/a&amp;b</Data><Data Name="User"/><Data Name="FileVersion">-</Data>',
      ),
    );
    expect(ev).toMatchObject({ eventId: 1, computer: 'H1', systemTime: '2022-05-11T18:10:20.3Z', truncated: undefined });
    expect(ev.data).toMatchObject({ ProcessId: '7', Image: '/bin/a&b', User: '' });
  });

  it('an attribute on EventID, an empty first Computer, single quotes and a non-numeric first EventID', () => {
    const ev = parseSysmonXml(
      event(
        `<EventID>1x</EventID><EventID Qualifiers="">5</EventID><TimeCreated SystemTime='2022-05-11T18:10:20Z'/><Computer>a<b</Computer><Computer>H2</Computer>`,
        `<Data Name='ProcessId'>9</Data>`,
      ),
    );
    expect(ev).toMatchObject({ eventId: 5, computer: 'H2', systemTime: '2022-05-11T18:10:20Z' });
    expect(ev.data.ProcessId).toBe('9');
    expect(() => parseSysmonXml(event('<EventID>x</EventID>', ''))).toThrow('Sysmon event without <EventID>');
  });

  it('a cut event names the item it ends in, also for events whose items the lineage does not read', () => {
    const cut = event('<EventID>3</EventID>', '<Data Name="SourceIp">1.2.3', '');
    expect(parseSysmonXml(cut, new Set([1, 5])).truncated).toBe('SourceIp');
    expect(parseSysmonXml(event('<EventID>3</EventID>', '<Data Name="SourceIp">1.2.3.4</Data>', ''), new Set([1, 5])).truncated).toBe('(end of event)');
    expect(parseSysmonXml(event('<EventID>3</EventID>', '<Data Name="ProcessId">1</Data>'), new Set([1, 5])).data.ProcessId).toBeUndefined();
  });
});

describe('Sysmon ProcessGuid', () => {
  it('reads the creation time from the middle groups, braces optional, case folded', () => {
    const g = parseProcessGuid(' {94325212-F5AA-627B-082B-00000000ABCD} ');
    expect(g).toEqual({ text: '{94325212-f5aa-627b-082b-00000000abcd}', startNs: BigInt(0x627bf5aa) * 1_000_000_000n, unique: true });
    expect(parseProcessGuid('94325212-f5aa-627b-082b-000000000001}')?.unique).toBe(true);
  });

  it('a zero key is not unique; an all-zero GUID and malformed ones are none', () => {
    expect(parseProcessGuid('{94325212-f5aa-627b-0000-000000000000}')?.unique).toBe(false);
    expect(parseProcessGuid('{00000000-0000-0000-0000-000000000000}')).toBeUndefined();
    expect(parseProcessGuid('{00000001-0000-0000-0000-000000000000}')).toMatchObject({ startNs: 0n, unique: false });
    expect(parseProcessGuid('{94325212-f5aa-627b-082b-00000000000Z}')).toBeUndefined();
    expect(parseProcessGuid('{94325212-f5aa-627b-082b0-00000000000}')).toBeUndefined();
    expect(parseProcessGuid('')).toBeUndefined();
    expect(parseProcessGuid(undefined)).toBeUndefined();
  });
});
