import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { LineageEvent } from '../../src/events/lineage-event.js';
import { ImageTable } from '../../src/capture/tetragon/image-table.js';
import { readTetragon } from '../../src/capture/tetragon/tetragon-reader.js';
import { TetragonLineage } from '../../src/capture/tetragon/tetragon-to-lineage.js';
import { bigintJson, readWhole } from './read-whole.js';
import { HAVE_DATASETS, sample } from './sample-case.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Every event and warning the Tetragon reader gives for `text`, with its image table bounded as given. */
const read = (text: string, table: ImageTable) => readWhole(text, 'in.json', (input, ctx) => readTetragon(input, ctx, new TetragonLineage('h', table)));

describe.skipIf(!HAVE_DATASETS)('Tetragon reader: the images it holds stay bounded, and forgetting is never silent', async () => {
  const { SCALED } = HAVE_DATASETS ? await import('../../bench/readers-scale.js') : { SCALED: [] };
  const scaled = SCALED.find((f) => f.format === 'tetragon');
  const lifecycle = (name: string): string => readFileSync(sample(`tetragon/docs-sec-obs-ch3/00_process_lifecycle/${name}.json`), 'utf8');

  it('processes that never exit: at most the bound is held, the same events come out, and the import says it forgot', async () => {
    // 300 copies of the sample: 900 images, none of which exits or is named again.
    const text = Array.from({ length: 300 }, (_, i) => scaled!.copy(i)).join('');
    const unbounded = await read(text, new ImageTable());
    const table = new ImageTable(100, 10);
    const bounded = await read(text, table);
    expect(bigintJson(bounded.events)).toBe(bigintJson(unbounded.events));
    expect(unbounded.warnings).toEqual([]);
    // Held in two halves of 50: the older half goes when the younger fills, from the 100th image on.
    expect(table.forgottenRunning).toBe(850);
    expect(table.held).toEqual({ running: 50, ended: 0 });
    expect(table.forgottenHits).toBe(0);
    expect(bounded.warnings).toEqual([
      {
        line: 100,
        message: expect.stringMatching(
          /^more than 100 Tetragon process images run at once \(no process_exit seen for them\): from here on the older ones are forgotten, half the bound at a time/,
        ),
      },
      {
        line: undefined,
        message:
          '850 Tetragon process images were forgotten to keep memory bounded (850 still running; at most 100 running and 10 ended images are held); 0 later events named one of them',
      },
    ]);
  });

  it('an image named after it was forgotten is reported at its line', async () => {
    // cat execs, then nc (which pushes cat out of a one-image table), then a kprobe of cat.
    const parts = ['cat_process_exec', 'nc_process_exec', 'cat_process_kprobe'].map(lifecycle);
    const text = parts.join('\n');
    const kprobeLine = `${parts[0]}\n${parts[1]}\n`.split('\n').length;
    expect(text.split('\n')[kprobeLine]).toMatch(/"process_kprobe"/);
    const whole = await read(text, new ImageTable());
    expect(whole.warnings).toEqual([]);
    const table = new ImageTable(1, 1);
    const bounded = await read(text, table);
    expect(table.forgottenHits).toBe(1);
    expect(bounded.warnings.filter((w) => w.message.startsWith('this event names a Tetragon image the reader forgot'))).toEqual([
      { line: kprobeLine, message: expect.any(String) },
    ]);
    expect(bounded.warnings.at(-1)!.message).toMatch(/; 1 later events named one of them$/);
    // cat's exec is stated again for the kprobe: one exec more than with every image held.
    const execs = (r: { events: LineageEvent[] }) => r.events.filter((e) => e.kind === 'exec').length;
    expect(execs(bounded)).toBe(execs(whole) + 1);
  });

  it('an image that exits leaves the running images for the window of ended ones, which is bounded too', async () => {
    const table = new ImageTable(10, 1);
    const r = await read(['cat_process_exec', 'cat_process_exit'].map(lifecycle).join('\n'), table);
    expect(r.events.filter((e) => e.kind === 'exit')).toHaveLength(1);
    expect(table.held).toEqual({ running: 0, ended: 1 });
    expect(r.warnings).toEqual([]);
    const two = new ImageTable(10, 1);
    await read(['cat_process_exec', 'cat_process_exit', 'nc_process_exec', 'nc_process_exit'].map(lifecycle).join('\n'), two);
    expect(two.held).toEqual({ running: 0, ended: 1 });
    expect(two.forgottenEnded).toBe(1);
  });

  it('the heap the reader holds stops growing at the bound (it grew ~180 B per image before): twice the images in a sixth of the memory', () => {
    const held = (copies: number, table: () => ImageTable): number => {
      const lines = Array.from({ length: copies }, (_, i) => scaled!.copy(i))
        .join('')
        .trim()
        .split('\n');
      const holder: { lineage: TetragonLineage | null } = { lineage: new TetragonLineage('h', table()) };
      for (const l of lines) holder.lineage!.convert(JSON.parse(l) as Record<string, unknown>);
      gc();
      gc();
      const withIt = process.memoryUsage().heapUsed;
      holder.lineage = null;
      gc();
      gc();
      // What the lineage alone held: the heap with it, less the heap without it (the lines are held throughout).
      const without = process.memoryUsage().heapUsed;
      expect(lines).toHaveLength(copies * 3);
      return withIt - without;
    };
    // 4,000 copies are 12,000 images, 8,000 are 24,000, every one still running.
    const unbounded = held(4000, () => new ImageTable());
    expect(unbounded / 12_000).toBeGreaterThan(100);
    const bounded = held(8000, () => new ImageTable(2000, 100));
    expect(bounded).toBeLessThan(unbounded / 3);
  });
});
