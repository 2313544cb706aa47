import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readerByName } from '../../src/capture/formats.js';
import { damage, seeded, unusualAudit, unusualLaurel } from './damaged-lines.js';
import { HAVE_DATASETS } from './sample-case.js';

/**
 * What each text reader gave, event by event and warning by warning, for the real samples of
 * ../shared/datasets (three copies each, as bench/readers-scale.ts makes them) and for twenty copies
 * with a third of their lines damaged or made unusual (damaged-lines.ts), read in chunks of several sizes so lines
 * cross chunk borders: one sha256 over every event, every warning and the error that stops a
 * strict import. The pinned digests are what the readers gave before their parsing was made
 * faster (the tree at 692fde1, with the two fixes of damaged-event handling in
 * audit-damaged.test.ts); a change to any event or message changes them.
 */
const BEFORE: Record<string, string> = {
  'audit real': '92cc1418c92aa034 events=54 warnings=0',
  'audit damaged': '2d386710f01e6e0a events=168 warnings=23 stop=in.audit:19: not an audit record (no "type=… msg=audit(…):" ',
  'laurel real': '49fde2d8c1c5b281 events=24 warnings=0',
  'laurel damaged': "3f688479fe7ced60 events=69 warnings=12 stop=in.laurel:15: not valid JSON (Expected ',' or '}' after prop",
  'sysmon real': '5f9543ffa032cca7 events=486 warnings=6',
  'sysmon damaged': '706cd7f1979ecf80 events=1457 warnings=367 stop=in.sysmon:18: Sysmon event without <EventID>',
  'tetragon real': 'c8b09bf51be06bfe events=24 warnings=0',
  'tetragon damaged': "594392adfe3e8e6d events=53 warnings=10 stop=in.tetragon:8: not valid JSON (Expected ',' or '}' after pro",
  'strace real': '8f16293ed3fde733 events=258 warnings=0',
  'strace damaged': 'de71db3326fcbdaf events=670 warnings=345 stop=in.strace:8: unreadable resumed call: <... execve resu"med>)',
  'falco-alerts real': 'b29cb062d2c75fea events=132 warnings=0',
  'falco-alerts damaged': "5481935e6a747a7a events=370 warnings=45 stop=in.falco-alerts:3: not valid JSON (Expected ',' or '}' after",
  'csv real': '93d1cbdcdbf8bc78 events=42 warnings=0',
  'csv damaged': 'ca40edd5d42a11f1 events=119 warnings=17 stop=in.csv:3: start_time "10x795879797" is not a time',
  'ps real': 'fe7adc2ab44ba367 events=42 warnings=2',
  'ps damaged': '5fb17166fbcae748 events=120 warnings=22 stop=in.ps:8: ppid "30\\"21" is not an integer',
};

const CHUNKS = [65536, 7, 1000, 33333];

async function digest(format: string, text: string): Promise<string> {
  const reader = readerByName(format)!;
  const bytes = Buffer.from(text);
  const parts = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = CHUNKS[k % CHUNKS.length]!;
    parts.push(bytes.subarray(i, i + n));
    i += n;
  }
  const h = createHash('sha256');
  const put = (tag: string, v: unknown) => h.update(`${tag}${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))}\n`);
  let events = 0;
  let warnings = 0;
  let stop = '';
  for (const skipBad of [true, false]) {
    const ctx = {
      file: `in.${format}`,
      skipBad,
      options: {},
      warn: (w: unknown) => {
        warnings++;
        put('W', w);
      },
      markTruncated: (o: number) => put('T', o),
      setCaptureInfo: (i: unknown) => put('I', i),
    };
    try {
      for await (const batch of reader.read({ stream: Readable.from(parts), path: ctx.file, siblings: [] }, ctx))
        for (const ev of batch) {
          events++;
          put('E', ev);
        }
    } catch (err) {
      stop = (err as Error).message;
      put('X', stop);
    }
  }
  return `${h.digest('hex').slice(0, 16)} events=${events} warnings=${warnings}${stop ? ` stop=${stop.slice(0, 60)}` : ''}`;
}

describe.skipIf(!HAVE_DATASETS)('text readers: the same events and warnings as before, on real and damaged lines', async () => {
  const { SCALED } = HAVE_DATASETS ? await import('../../bench/readers-scale.js') : { SCALED: [] };
  const actual: Record<string, string> = {};
  for (const f of SCALED) {
    const copies = Array.from({ length: 20 }, (_, i) => f.copy(i));
    const real = copies.slice(0, 3).join('');
    const rnd = seeded(15);
    const change = f.format === 'audit' ? unusualAudit : f.format === 'laurel' ? unusualLaurel : damage;
    const damaged = copies
      .join('')
      .split('\n')
      .map((l) => (l !== '' && rnd(3) === 0 ? change(l, rnd) : l))
      .join('\n');
    it(f.format, async () => {
      actual[`${f.format} real`] = await digest(f.format, real);
      actual[`${f.format} damaged`] = await digest(f.format, damaged);
      expect({ real: actual[`${f.format} real`], damaged: actual[`${f.format} damaged`] }).toEqual({
        real: BEFORE[`${f.format} real`],
        damaged: BEFORE[`${f.format} damaged`],
      });
    });
  }
});
