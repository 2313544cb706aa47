import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseAuditLine } from '../../src/capture/audit/record-parser.js';
import { detachedString } from '../../src/capture/detached-string.js';
import { extractEventXml, parseSysmonXml } from '../../src/capture/sysmon/sysmon-xml.js';
import { HAVE_DATASETS, sample } from './sample-case.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap bytes still in use, per kept value, once each record's own text is unreachable. */
function retainedPerRecord<T>(records: readonly string[], copies: number, keep: (text: string) => T): number {
  const kept: T[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < copies; i++) {
    for (const r of records) {
      // A string of its own per record, as a reader gets from each line it splits off.
      const text = `${i % 10}${r}`.slice(1);
      kept.push(keep(text));
    }
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  expect(kept.length).toBe(records.length * copies);
  return (after - before) / kept.length;
}

const average = (texts: readonly string[]): number => texts.reduce((n, t) => n + t.length, 0) / texts.length;

describe('values a reader keeps do not keep the record they were cut from', () => {
  it('a detached copy holds only its own characters; a plain slice holds its whole parent', () => {
    const line = `${'x'.repeat(20_000)}"/usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java"${'y'.repeat(20_000)}`;
    const cut = (t: string) => t.slice(20_001, t.indexOf('"', 20_001));
    expect(detachedString(cut(line))).toBe('/usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java');
    expect(detachedString('short')).toBe('short');
    expect(retainedPerRecord([line], 300, cut)).toBeGreaterThan(line.length * 0.9);
    expect(retainedPerRecord([line], 300, (t) => detachedString(cut(t)))).toBeLessThan(500);
  });

  it.skipIf(!HAVE_DATASETS)('Sysmon: the data of real events, without their XML', () => {
    const rows = readFileSync(sample('otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json'), 'utf8').trim().split('\n');
    const xmls = rows.map((row) => extractEventXml(row)).filter((x): x is string => x !== undefined);
    expect(xmls.length).toBeGreaterThan(20);
    const perEvent = retainedPerRecord(xmls, 100, (xml) => parseSysmonXml(xml).data);
    // Each event's fields are a fraction of its XML; holding the XML would cost more than all of it.
    expect(perEvent).toBeLessThan(average(xmls) * 0.75);
  });

  it.skipIf(!HAVE_DATASETS)('audit: the kept fields of real records, without their lines', () => {
    // Real records with a long path the lineage keeps, each with a long field it does not read:
    // were the path a view into the line, every line would stay.
    const records = readFileSync(sample('laurel-testdata/shell-proc-trace.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('type=') && /\b(?:exe|cwd|name)="[^"]{13,}"/.test(l))
      .filter((l) => {
        const r = parseAuditLine(l);
        return r !== null && r !== 'skip';
      })
      .map((l) => `${l} unread=${'ab'.repeat(2000)}`);
    expect(records.length).toBeGreaterThan(10);
    const perRecord = retainedPerRecord(records, 100, (line) => {
      const r = parseAuditLine(line);
      return r === null || r === 'skip' ? null : r.fields;
    });
    expect(perRecord).toBeLessThan(average(records) / 4);
  });
});
