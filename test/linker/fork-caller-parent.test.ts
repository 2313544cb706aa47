import { describe, expect, it } from 'vitest';
import type { LineageEvent } from '../../src/events/lineage-event.js';
import { link } from '../support/link-events.js';

describe('a fork whose caller was never seen', () => {
  const base = { host: 'h', pos: {} };
  it('infers the caller under the parent the fork record names (callerParent)', () => {
    const events: LineageEvent[] = [
      { ...base, ts: 1n, kind: 'exec', pid: 100, ok: true, exepath: '/bin/parent' },
      // 200 was forked by 100 unseen; its own clone names 100 as its parent
      { ...base, ts: 2n, kind: 'fork', pid: 300, ppid: 200, callerParent: { pid: 100 } },
    ];
    const r = link(events);
    expect(r.proc(200).parentProcessId).toBe(r.proc(100).processId);
    expect(r.proc(200).origin).toBe('inferred');
    expect(r.proc(300).parentProcessId).toBe(r.proc(200).processId);
  });

  it('without callerParent the inferred caller has no parent', () => {
    const r = link([
      { ...base, ts: 1n, kind: 'exec', pid: 100, ok: true },
      { ...base, ts: 2n, kind: 'fork', pid: 300, ppid: 200 },
    ]);
    expect(r.proc(200).parentProcessId).toBeNull();
  });
});
