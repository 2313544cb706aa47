import { describe, expect, it } from 'vitest';
import { checkedEvent, eventFromJson } from '../../src/capture/jsonl/event-json.js';

const VALID: Record<string, unknown>[] = [
  { kind: 'fork', host: 'h', ts: '1732800000000000001', pid: 10, ppid: 1, tid: 10, vpid: 3, thread: false },
  {
    kind: 'exec',
    host: 'h',
    ts: '1732800000000000002',
    pid: 10,
    ppid: 1,
    comm: 'sh',
    exe: 'sh',
    exepath: '/bin/sh',
    args: ['-c', 'id'],
    env: ['A=1'],
    cgroups: ['cpu=/'],
    cwd: '/',
    uid: 0,
    startTs: '1732800000000000000',
  },
  { kind: 'exec', host: 'h', ts: '1732800000000000003', pid: 10, ok: false, errno: 2 },
  { kind: 'exit', host: 'h', ts: '1732800000000000004', pid: 10, code: 0, signal: 9, core: true },
  { kind: 'snapshot', host: 'h', ts: '1732800000000000005', pid: 1, ppid: 0, comm: 'init', args: [] },
  { kind: 'exec', ts: '1732800000000000006', pid: 11 },
  { kind: 'exec', host: 'h', ts: 1732800000000000000, pid: 11 },
  { kind: 'exec', host: 'h', ts: '1732800000000000008', pid: 11, parent: { pid: 5, startTs: '1732800000000000000' } },
  { kind: 'user', host: 'h', ts: '1', uid: 0, name: 'root' },
  { kind: 'hostinfo', host: 'h', ts: '1', bootTs: '17' },
];

/** Ways to damage a field: each is applied to each field of each valid event. */
const DAMAGE: unknown[] = [undefined, null, '', 'x', '12', 1.5, -1, 2 ** 60, true, [], ['a', 1], {}, '-7', '1e3'];

function outcome(f: () => unknown): unknown {
  try {
    return { event: JSON.stringify(f(), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe('JSON-lines events', () => {
  it('the one-pass check accepts and converts exactly what the full check does, and reports the same error otherwise', () => {
    let compared = 0;
    for (const valid of VALID) {
      const keys = [...new Set([...Object.keys(valid), 'host', 'ts', 'pid', 'ppid', 'ok', 'uid', 'parent', 'args', 'startTs', 'kind'])];
      for (const key of keys) {
        for (const bad of DAMAGE) {
          const line = JSON.stringify({ ...valid, [key]: bad });
          for (const defaultHost of [undefined, 'fallback']) {
            const fast = outcome(() => eventFromJson(JSON.parse(line), line, defaultHost));
            const full = outcome(() => checkedEvent(JSON.parse(line), line, defaultHost));
            expect({ line, defaultHost, fast }).toEqual({ line, defaultHost, fast: full });
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it('keeps the exact digits of a time given as a plain number', () => {
    const line = '{"kind":"exec","host":"h","ts":1732800000000000007,"pid":1}';
    expect(eventFromJson(JSON.parse(line), line, undefined).ts).toBe(1732800000000000007n);
  });
});
