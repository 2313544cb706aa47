import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { newCase } from '../readers/sample-case.js';

/**
 * An exec a second capture sees again keeps its row: the second sighting only fills in the
 * columns the row lacks, records itself in exec_sources, and flags the columns it disagrees on.
 */
const HOST = 'fill-host';
const line = (o: Record<string, unknown>): string => JSON.stringify({ host: HOST, ...o });
const parent = line({ kind: 'snapshot', pid: 100, ppid: 1, comm: 'bash', exe: '/bin/bash', args: [], uid: 0, ts: '1000000000000' });

function execLine(extra: Record<string, unknown>): string {
  return line({ kind: 'exec', pid: 200, ppid: 100, comm: 'curl', exe: 'curl', args: ['-s', 'x'], ts: '1000500000000', ...extra });
}

let c: ReturnType<typeof newCase> | undefined;
afterEach(() => c?.close());

describe('an exec seen again by another capture', () => {
  it('fills only what the kept row lacks and records the sighting', async () => {
    c = newCase();
    const first = c.path('first.jsonl');
    const second = c.path('second.jsonl');
    const third = c.path('third.jsonl');
    writeFileSync(first, `${parent}\n${line({ kind: 'fork', pid: 200, ppid: 100, ts: '1000400000000' })}\n${execLine({ uid: 1000 })}\n`);
    writeFileSync(second, `${parent}\n${execLine({ exepath: '/usr/bin/curl', cwd: '/srv', uid: 1000, tty: 34816 })}\n`);
    writeFileSync(third, `${parent}\n${execLine({ args: ['-s', 'y'], exepath: '/usr/bin/curl', cwd: '/elsewhere', uid: 1000 })}\n`);
    await c.import(first);
    const row = () =>
      c!.db.prepare(`SELECT exec_id, exepath, cwd, uid, tty, cmdline FROM execs WHERE pid = 200 AND kind = 'exec'`).all() as Record<string, unknown>[];
    const before = row();
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ exepath: null, cwd: null, tty: null });

    const r2 = await c.import(second);
    expect(r2.execsKnown).toBe(1);
    const filled = row();
    expect(filled).toEqual([{ ...before[0], exepath: '/usr/bin/curl', cwd: '/srv', tty: 34816n }]);

    // Nothing left to fill: the kept values stay, the disagreement is recorded, not applied.
    const r3 = await c.import(third);
    expect(r3.execsKnown).toBe(1);
    expect(row()).toEqual(filled);
    const sources = c.db
      .prepare('SELECT capture_id, cmdline, conflict FROM exec_sources WHERE exec_id = ? ORDER BY capture_id')
      .all(filled[0]!.exec_id) as Record<string, unknown>[];
    expect(sources.map((s) => [s.cmdline, s.conflict])).toEqual([
      ['curl -s x', null],
      ['curl -s y', 'cmdline'],
    ]);
  });
});
