import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { csvReader } from '../../src/capture/pslist/csv-reader.js';
import { psReader } from '../../src/capture/pslist/ps-reader.js';
import type { CaptureReader } from '../../src/capture/reader.js';
import type { LineageEvent } from '../../src/events/lineage-event.js';
import { openParkingStore } from '../../src/importer/parking-store.js';
import { Linker, type LinkerOptions, type RowSink } from '../../src/linker/linker.js';
import type { ExecRow, ProcessRow } from '../../src/linker/rows.js';
import { HAVE_DATASETS } from '../readers/sample-case.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The snapshot events a process-list reader makes of `text`. */
async function read(reader: CaptureReader, text: string): Promise<LineageEvent[]> {
  const events: LineageEvent[] = [];
  const ctx = { file: 'in', skipBad: false, options: {}, warn() {}, markTruncated() {}, setCaptureInfo() {} };
  for await (const batch of reader.read({ stream: Readable.from([Buffer.from(text)]), path: 'in', siblings: [] }, ctx)) events.push(...batch);
  return events;
}

/** The rows (processes by id, execs by id) and warnings the linker makes of `events`. */
function link(events: LineageEvent[], options: Partial<LinkerOptions> = {}) {
  const processes: ProcessRow[] = [];
  const execs: ExecRow[] = [];
  const warnings: { line: number | undefined; message: string }[] = [];
  const sink: RowSink = { process: (r) => processes.push(r), exec: (r) => execs.push(r), container() {}, user() {}, hostInfo() {}, alert() {} };
  const linker = new Linker(sink, { firstProcessId: 1, firstExecId: 1, warn: (message, line) => warnings.push({ line, message }), ...options });
  for (const ev of events) linker.push(ev);
  linker.finish();
  processes.sort((a, b) => a.processId - b.processId);
  execs.sort((a, b) => a.execId - b.execId);
  return { processes, execs, warnings, parked: linker.processesParked };
}

const bigintJson = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

describe.skipIf(!HAVE_DATASETS)('a long process list is linked in chunks: the same rows, memory bounded, and never silently different', async () => {
  const { SCALED } = HAVE_DATASETS ? await import('../../bench/readers-scale.js') : { SCALED: [] };
  const scaled = (format: string, copies: number): string => {
    const s = SCALED.find((f) => f.format === format)!;
    return Array.from({ length: copies }, (_, i) => s.copy(i)).join('');
  };
  /** The same list with its data rows in another order (the header stays first). */
  const reorder = (text: string, order: (rows: string[]) => string[]): string => {
    const [header, ...rows] = text.trim().split('\n');
    return `${[header, ...order(rows)].join('\n')}\n`;
  };
  // A fixed shuffle: parents before and after their children, rows of one copy far apart.
  const shuffle = (rows: string[]): string[] =>
    rows
      .map((r, i) => ({ r, k: (i * 7919) % rows.length }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.r);

  for (const [format, reader] of [
    ['csv', csvReader],
    ['ps', psReader],
  ] as const) {
    it(`${format}: listed order, children first and shuffled give the rows of the whole list, in chunks of 1, 7 and 100`, async () => {
      // 300 copies of the real sample: 2,100 processes, each copy's root under a parent never listed.
      const text = scaled(format, 300);
      for (const order of [(r: string[]) => r, (r: string[]) => r.slice().reverse(), shuffle]) {
        const events = await read(reader, reorder(text, order));
        expect(events).toHaveLength(2100);
        const whole = link(events);
        expect(whole.processes.filter((p) => p.parentProcessId !== null)).toHaveLength(1800);
        for (const chunk of [1, 7, 100]) {
          const chunked = link(events, { snapshots: { chunk, waiting: 10_000 } });
          expect(bigintJson(chunked.processes), `chunk ${chunk}`).toBe(bigintJson(whole.processes));
          expect(bigintJson(chunked.execs), `chunk ${chunk}`).toBe(bigintJson(whole.execs));
          expect(chunked.warnings).toEqual([]);
        }
      }
    });
  }

  it('past the bound of waiting rows the oldest are linked at once, said where it began and summed up; rows stay the same when their parents are never listed, and the rows linked are parked', async () => {
    const events = await read(csvReader, scaled('csv', 300));
    const whole = link(events);
    // Every copy's root waits for its parent, and the copy's other rows for the root.
    const bounded = link(events, { snapshots: { chunk: 10, waiting: 50 }, parking: { cap: 20, open: openParkingStore } });
    expect(bounded.parked).toBeGreaterThan(1000);
    expect(bigintJson(bounded.processes)).toBe(bigintJson(whole.processes));
    expect(bigintJson(bounded.execs)).toBe(bigintJson(whole.execs));
    expect(bounded.warnings).toHaveLength(2);
    expect(bounded.warnings[0]).toEqual({
      line: expect.any(Number),
      message: expect.stringMatching(
        /^more than 50 process-list rows wait for a parent the list has not named yet: from here on the oldest are linked without waiting/,
      ),
    });
    expect(bounded.warnings[0]!.line).toBeLessThan(100);
    expect(bounded.warnings[1]).toEqual({
      line: undefined,
      message: expect.stringMatching(
        /^\d+ process-list rows were linked before the list ended, to keep memory bounded \(at most 50 rows wait for a parent the list names later\); 0 of the parents they named were listed later and are not linked to them \(looked for among the last 200 such parents\)$/,
      ),
    });
  });

  it('a parent listed after the bound of waiting rows is not linked to its early children, and the summary counts it', async () => {
    // The rows every copy's root is the parent of come first, the rest (the roots too) after them:
    // 60 copies, so that the parents of rows linked early (60 roots, 60 of theirs) are all kept.
    const text = scaled('csv', 60);
    const childrenOfRoots = (r: string): boolean => Number(r.split(',')[1]) % 1000 === 17;
    const events = await read(
      csvReader,
      reorder(text, (r) => [...r.filter(childrenOfRoots), ...r.filter((x) => !childrenOfRoots(x))]),
    );
    const whole = link(events);
    const bounded = link(events, { snapshots: { chunk: 10, waiting: 50 } });
    const linked = (r: { processes: ProcessRow[] }): number => r.processes.filter((p) => p.parentProcessId !== null).length;
    expect(linked(bounded)).toBeLessThan(linked(whole));
    const late = /; (\d+) of the parents they named were listed later/.exec(bounded.warnings.at(-1)!.message);
    expect(Number(late?.[1])).toBe(60);
    // The ids are handed out as the rows come: the same processes and images, fewer edges.
    expect(bounded.processes.map((p) => [p.processId, p.pid])).toEqual(whole.processes.map((p) => [p.processId, p.pid]));
  });

  it('the heap the linker holds stops growing with the list (it held every row and process to the end): 4x the rows in a quarter of the memory', async () => {
    const held = async (copies: number, options: Partial<LinkerOptions>): Promise<number> => {
      const text = scaled('csv', copies);
      const sink: RowSink = { process() {}, exec() {}, container() {}, user() {}, hostInfo() {}, alert() {} };
      const linker = new Linker(sink, { firstProcessId: 1, firstExecId: 1, ...options });
      const ctx = { file: 'in', skipBad: false, options: {}, warn() {}, markTruncated() {}, setCaptureInfo() {} };
      gc();
      const before = process.memoryUsage().heapUsed;
      for await (const batch of csvReader.read({ stream: Readable.from([Buffer.from(text)]), path: 'in', siblings: [] }, ctx))
        for (const ev of batch) linker.push(ev);
      gc();
      gc();
      // What the linker holds before the end of the list (the text is held throughout).
      const grown = process.memoryUsage().heapUsed - before;
      linker.finish();
      return grown;
    };
    // 3,000 copies are 21,000 processes, 12,000 copies 84,000, all running at the end.
    const whole = await held(3000, {});
    // Held whole, each listed process costs some hundreds of bytes (~460 on Node 24, over 500 on Node 20).
    expect(whole / 21_000).toBeGreaterThan(300);
    const chunked = await held(12_000, { parking: { cap: 2000, open: openParkingStore }, snapshots: { chunk: 1000, waiting: 2000 } });
    expect(chunked).toBeLessThan(whole / 4);
  }, 120_000);
});
