import { describe, expect, it } from 'vitest';
import { AlertedProcesses } from '../../src/capture/falco-alerts/alerted-processes.js';
import { readFalcoAlerts } from '../../src/capture/falco-alerts/falco-alert-reader.js';
import type { LineageEvent } from '../../src/events/lineage-event.js';
import { bigintJson, readWhole } from './read-whole.js';
import { HAVE_DATASETS } from './sample-case.js';

/** Every event and warning the Falco alert reader gives for `text`, with its table of alerted processes. */
const read = (text: string, seen: AlertedProcesses) => readWhole(text, 'in.jsonl', (input, ctx) => readFalcoAlerts(input, ctx, seen));

const snapshots = (events: LineageEvent[]): number => events.filter((e) => e.kind === 'snapshot').length;

describe.skipIf(!HAVE_DATASETS)('Falco alert reader: the alerted processes it holds stay bounded, and forgetting is never silent', async () => {
  const { SCALED_WITH_LINEAGE } = HAVE_DATASETS ? await import('../../bench/readers-scale.js') : { SCALED_WITH_LINEAGE: [] };
  const scaled = SCALED_WITH_LINEAGE.find((f) => f.format === 'falco-alerts');
  const copies = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => scaled!.copy(from + i)).join('');

  it('alerts on ever new processes: at most the bound is held, the same events come out, and the import says it forgot', async () => {
    // 300 copies of the website alerts, the syscall ones with pid and parent pid: 8 alerts, 9 processes (one parent per host).
    const text = copies(0, 300);
    const unbounded = await read(text, new AlertedProcesses(Number.POSITIVE_INFINITY));
    expect(unbounded.warnings).toEqual([]);
    expect(snapshots(unbounded.events)).toBeGreaterThan(300 * 9);
    const seen = new AlertedProcesses(100);
    const bounded = await read(text, seen);
    expect(bigintJson(bounded.events)).toBe(bigintJson(unbounded.events));
    expect(seen.size).toBeLessThanOrEqual(100);
    expect(seen.forgottenHits).toBe(0);
    expect(bounded.warnings).toEqual([
      { line: expect.any(Number), message: expect.stringMatching(/^more than 100 alerted processes are held: from here on the older ones are forgotten/) },
      {
        line: undefined,
        message: `${seen.forgotten} alerted processes were forgotten to keep memory bounded (at most 100 are held); 0 times later alerts named one of them (the first 10 such alerts reported at their lines)`,
      },
    ]);
    expect(bounded.warnings[0]!.line).toBeLessThan(200);
  });

  it('a forgotten process alerted on again gets no second snapshot row (it would start a new process), and the alert is reported at its line', async () => {
    // Copies 0-49, then copy 0 again: its processes were forgotten with a bound of 40.
    const first = copies(0, 50);
    const text = first + scaled!.copy(0);
    const againAt = first.split('\n').length;
    const unbounded = await read(text, new AlertedProcesses(Number.POSITIVE_INFINITY));
    const seen = new AlertedProcesses(40);
    const bounded = await read(text, seen);
    expect(bigintJson(bounded.events)).toBe(bigintJson(unbounded.events));
    expect(seen.forgottenHits).toBeGreaterThanOrEqual(8);
    const hits = bounded.warnings.filter((w) => w.message.startsWith('this alert names a process the reader forgot'));
    // One report for each of the 8 alerts of copy 0 (each names its process and their parent).
    expect(hits).toHaveLength(8);
    for (const w of hits) expect(w.line).toBeGreaterThanOrEqual(againAt);
    expect(bounded.warnings.at(-1)!.message).toMatch(new RegExp(`; ${seen.forgottenHits} times later alerts named one of them`));
  });
});
