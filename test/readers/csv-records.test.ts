import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../src/capture/pslist/csv-records.js';
import { BadRecord } from '../../src/capture/record-errors.js';
import { DATASETS, HAVE_DATASETS } from './sample-case.js';

function records(text: string): { fields: string[]; line: number }[] {
  const r = new CsvRecords();
  const out: { fields: string[]; line: number }[] = [];
  text.split('\n').forEach((t, i) => {
    const rec = r.push(t.replace(/\r$/, ''), i + 1);
    if (rec) out.push(rec);
  });
  if (r.unfinished() !== null) throw new Error(`open quote from line ${r.unfinished()}`);
  return out;
}

/** What csv-parse (RFC 4180, the library the reader used before) makes of the same text. */
function rfc4180(text: string): string[][] {
  return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
}

describe('CSV records', () => {
  it('reads what an RFC 4180 parser reads: quotes, doubled quotes, commas and line breaks inside quotes, empty fields, CRLF, BOM', () => {
    const text = [
      '\ufeffpid,ppid,"comm",cmdline',
      '1,0,"init","/sbin/init splash"',
      '2,1,,"sh -c ""echo, hi"""',
      '3,1,"multi',
      'line, with comma",x',
      '',
      '4,1,"",',
      '5,1,"a""b","ends with quote"""',
      '6,1,"""quoted""",last',
    ].join('\n');
    expect(records(text).map((r) => r.fields)).toEqual(rfc4180(text));
    expect(records(text).map((r) => r.line)).toEqual([1, 2, 3, 4, 7, 8, 9]);
  });

  it.skipIf(!HAVE_DATASETS)('reads the shared ps/CSV sample as the RFC 4180 parser does', () => {
    const text = readFileSync(join(DATASETS, 'ps-generated/proc-snapshot.csv'), 'utf8');
    expect(records(text).map((r) => r.fields)).toEqual(rfc4180(text));
  });

  it('drops the CR of CRLF line ends', () => {
    expect(records('pid,comm\r\n1,"sh"\r\n2,ls\r\n').map((r) => r.fields)).toEqual([
      ['pid', 'comm'],
      ['1', 'sh'],
      ['2', 'ls'],
    ]);
  });

  it('keeps quotes that do not open or close a field as written', () => {
    expect(records('sh -c echo "hi",1').map((r) => r.fields)).toEqual([['sh -c echo "hi"', '1']]);
    expect(records('"C:\\Program Files\\x.exe" -k,2').map((r) => r.fields)).toEqual([['"C:\\Program Files\\x.exe" -k', '2']]);
  });

  it('says where a quoted field that never closes begins', () => {
    const r = new CsvRecords();
    expect(r.push('1,"open', 1)).toBeNull();
    expect(r.push('more', 2)).toBeNull();
    expect(r.unfinished()).toBe(1);
  });

  it('refuses a quoted field longer than a line may be, and reads on after it', () => {
    const r = new CsvRecords();
    r.push('1,"open', 1);
    const big = 'x'.repeat(8 * 1024 * 1024);
    let err: unknown;
    for (let i = 0; i < 9 && !err; i++) {
      try {
        r.push(big, i + 2);
      } catch (e) {
        err = e;
      }
    }
    expect(err).toBeInstanceOf(BadRecord);
    expect((err as Error).message).toMatch(/Quote Not Closed: the quoted field that begins on line 1 runs past 64 MiB/);
    expect(r.push('2,ok', 20)?.fields).toEqual(['2', 'ok']);
  });
});
