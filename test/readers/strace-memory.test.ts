import { describe, expect, it } from 'vitest';
import { readStrace } from '../../src/capture/strace/strace-reader.js';
import { TraceState } from '../../src/capture/strace/trace-state.js';
import { bigintJson, readWhole } from './read-whole.js';
import { HAVE_DATASETS } from './sample-case.js';

/** Every event and warning the strace reader gives for `text`, with its trace state. */
const read = (text: string, state: TraceState) => readWhole(text, 'in.txt', (input, ctx) => readStrace(input, ctx, state));

describe.skipIf(!HAVE_DATASETS)('strace reader: the thread ids it holds stay bounded, and forgetting is never silent', async () => {
  const { SCALED } = HAVE_DATASETS ? await import('../../bench/readers-scale.js') : { SCALED: [] };
  const scaled = SCALED.find((f) => f.format === 'strace');
  const copies = (n: number): string => Array.from({ length: n }, (_, i) => scaled!.copy(i)).join('');

  it('threads that exit are let go: after 500 copies of the real traces (every process exits) none is held', async () => {
    const state = new TraceState('h');
    const r = await read(copies(500), state);
    expect(r.events.filter((e) => e.kind === 'exit').length).toBeGreaterThan(2000);
    expect(r.warnings).toEqual([]);
    // Every pid it saw cloned was kept before (~5,000 here).
    expect(state.heldTids).toBe(0);
    expect(state.forgottenTids).toBe(0);
  });

  it('threads that never exit: at most the bound is held, the same events come out, and the import says it forgot', async () => {
    // The exit lines taken out: every process of every copy runs to the end of the trace.
    const text = copies(300)
      .split('\n')
      .filter((l) => !/\+\+\+ (exited|killed)/.test(l))
      .join('\n');
    const unbounded = await read(text, new TraceState('h', Number.POSITIVE_INFINITY));
    expect(unbounded.warnings).toEqual([]);
    const state = new TraceState('h', 100);
    const bounded = await read(text, state);
    expect(bigintJson(bounded.events)).toBe(bigintJson(unbounded.events));
    expect(state.heldTids).toBeLessThanOrEqual(100);
    expect(state.forgottenTids).toBeGreaterThan(2000);
    expect(bounded.warnings).toEqual([
      {
        line: expect.any(Number),
        message: expect.stringMatching(/^more than 100 traced threads run at once \(no exit line seen for them\): from here on the older ones are forgotten/),
      },
      {
        line: undefined,
        message: `${state.forgottenTids} traced threads were forgotten to keep memory bounded (at most 100 are held; none of them had an exit line by then)`,
      },
    ]);
    expect(bounded.warnings[0]!.line).toBeLessThan(text.split('\n').length / 10);
  });
});
