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
 * cross chunk borders: a sha256 over every event, and one over every warning and the error that
 * stops a strict import. The pinned digests are what the readers gave before their parsing was made
 * faster (the tree at 692fde1, with the two fixes of damaged-event handling in
 * audit-damaged.test.ts); a change to any event or message changes them. JSON.parse's own words
 * inside "not valid JSON (…)" are left out: they change from one Node release to the next.
 * Each is read twice: as fresh chunks, and as a plain file is imported, every chunk read into the
 * same memory once the reader asks for the next (ReaderInput.stream), so what a reader keeps of a
 * chunk without copying it is overwritten and changes the digests.
 */
const BEFORE: Record<string, string> = {
  'audit real': 'aaea13efbdd92dcc events=54 warnings=0',
  'audit damaged': 'dfe6e9a46781cfad events=168 warnings=23 stop=in.audit:19: not an audit record (no "type=… msg=audit(…):" ',
  'laurel real': '6c631a765d02bbef events=24 warnings=0',
  'laurel damaged': '647d39bb14f4c0d9 events=69 warnings=12 stop=in.laurel:15: not valid JSON (…)',
  'sysmon real': 'a13d2aba0c49c43d events=486 warnings=6',
  'sysmon damaged': 'e60d4fddd8c16e17 events=1457 warnings=367 stop=in.sysmon:18: Sysmon event without <EventID>',
  'tetragon real': '37ae63cd1b5bf6aa events=24 warnings=0',
  'tetragon damaged': 'e10c7281f4c147ee events=53 warnings=10 stop=in.tetragon:8: not valid JSON (…)',
  'strace real': 'd1b26da92b3723f6 events=258 warnings=0',
  'strace damaged': '434edae18f781c7f events=670 warnings=345 stop=in.strace:8: unreadable resumed call: <... execve resu"med>)',
  'falco-alerts real': 'bf41bc5c35aa4081 events=132 warnings=0',
  'falco-alerts damaged': 'd87a1dcfdf92069a events=370 warnings=45 stop=in.falco-alerts:3: not valid JSON (…)',
  'csv real': 'd7c755859b503715 events=42 warnings=0',
  'csv damaged': '84ea8a56a3312ccf events=119 warnings=17 stop=in.csv:3: start_time "10x795879797" is not a time',
  'ps real': '3a848fe5cd76d531 events=42 warnings=2',
  'ps damaged': 'e4bcd100f8f89d59 events=120 warnings=22 stop=in.ps:8: ppid "30\\"21" is not an integer',
};

const CHUNKS = [65536, 7, 1000, 33333];

const withoutEngineWords = (message: string): string => message.replace(/not valid JSON \(.*\)/g, 'not valid JSON (…)');

/** The parts one after another in one buffer, each overwriting the last once the next is asked for. */
async function* inReusedMemory(parts: Buffer[]): AsyncGenerator<Buffer> {
  const memory = Buffer.alloc(Math.max(...CHUNKS));
  for (const part of parts) {
    memory.fill(0x5a);
    part.copy(memory);
    yield memory.subarray(0, part.length);
  }
}

async function digest(format: string, text: string, reused = false): Promise<string> {
  const reader = readerByName(format)!;
  const bytes = Buffer.from(text);
  const parts = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = CHUNKS[k % CHUNKS.length]!;
    parts.push(bytes.subarray(i, i + n));
    i += n;
  }
  // Events and messages each in their order, hashed apart: how a reader interleaves its batches
  // with its warnings is not compared.
  const eventHash = createHash('sha256');
  const messageHash = createHash('sha256');
  const record = (tag: string, v: unknown) => `${tag}${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))}\n`;
  const put = (tag: string, v: unknown) => (tag === 'E' ? eventHash : messageHash).update(record(tag, v));
  let events = 0;
  let warnings = 0;
  let stop = '';
  for (const skipBad of [true, false]) {
    const ctx = {
      file: `in.${format}`,
      skipBad,
      options: {},
      warn: (w: { message: string }) => {
        warnings++;
        put('W', { ...w, message: withoutEngineWords(w.message) });
      },
      markTruncated: (o: number) => put('T', o),
      setCaptureInfo: (i: unknown) => put('I', i),
    };
    try {
      for await (const batch of reader.read({ stream: reused ? inReusedMemory(parts) : Readable.from(parts), path: ctx.file, siblings: [] }, ctx))
        for (const ev of batch) {
          events++;
          put('E', ev);
        }
    } catch (err) {
      stop = withoutEngineWords((err as Error).message);
      put('X', stop);
    }
  }
  const h = createHash('sha256').update(eventHash.digest()).update(messageHash.digest());
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
      const reused = { real: await digest(f.format, real, true), damaged: await digest(f.format, damaged, true) };
      const expected = { real: BEFORE[`${f.format} real`], damaged: BEFORE[`${f.format} damaged`] };
      expect({ real: actual[`${f.format} real`], damaged: actual[`${f.format} damaged`] }).toEqual(expected);
      expect(reused).toEqual(expected);
    });
  }
});
