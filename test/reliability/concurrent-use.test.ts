import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateJsonl } from '../../bench/lib/generate-jsonl.js';
import { tempDir } from '../support/temp-case.js';
import { captureRows, cli, SEED_RULES, integrityCheck, readCommands, startPedigree, STORY_JSONL, waitFor } from './support.js';

/** Several people on one case: readers never wait for an import, importers queue, none fails. */
describe('concurrent use of one case', () => {
  const tmp = tempDir('pedigree-concurrent-');
  const big = tmp.path('big.jsonl');

  beforeAll(async () => {
    await generateJsonl(big, { execs: 5_000, seed: 11 });
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('readers work while an import holds the case, and a second importer waits for it, then imports', async () => {
    const db = tmp.path('queue.db');
    expect((await cli(['import', STORY_JSONL, '--db', db, '-q'])).code).toBe(0);
    // The first import stops itself mid-transaction (SIGSTOP) holding the write lock.
    const first = startPedigree(['import', big, '--db', db, '-q'], { PEDIGREE_FAULT: 'read, link and insert:SIGSTOP' });
    await waitFor(() => readState(first.proc.pid) === 'T', 60_000, 'the first import to stop mid-transaction');
    try {
      for (const args of readCommands(db, false)) {
        const r = await cli(args);
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: expect.not.stringMatching(/locked|error/) });
      }
      expect(captureRows(db)).toHaveLength(1); // the running import is invisible until it commits

      await generateJsonl(tmp.path('other.jsonl'), { execs: 200, seed: 12 });
      const second = startPedigree(['import', tmp.path('other.jsonl'), '--db', db, '-q']);
      // A rules run prints its alerts at once; saving them is a write, so it queues too.
      const rules = startPedigree(['rules', 'run', SEED_RULES, '--db', db, '-q']);
      const waiting = `waiting for the import of ${big} (pid ${first.proc.pid}) to finish`;
      await waitFor(() => second.stderr().includes(waiting), 60_000, `"${waiting}" on stderr`);
      await waitFor(() => rules.stderr().includes(waiting), 60_000, `"${waiting}" on the rules run's stderr`);
      expect(rules.stdout()).toContain('Shell spawned in a container');
      await new Promise((r) => setTimeout(r, 1_500));
      expect([second.proc.exitCode, rules.proc.exitCode]).toEqual([null, null]); // still waiting, not failed

      first.proc.kill('SIGCONT');
      expect((await first.done).code).toBe(0);
      const end = await second.done;
      expect({ code: end.code, stderr: second.stderr() }).toEqual({ code: 0, stderr: `pedigree: ${waiting}\n` });
      expect((await rules.done).code).toBe(0);
      expect(captureRows(db).map((c) => c.status)).toEqual(['complete', 'complete', 'complete']);
      expect(integrityCheck(db)).toBe('ok');
    } finally {
      first.proc.kill('SIGCONT');
      first.proc.kill('SIGKILL');
    }
  }, 180_000);

  it('a reader running longer than any lock timeout never makes an import fail', async () => {
    const db = tmp.path('long-reader.db');
    expect((await cli(['import', STORY_JSONL, '--db', db, '-q'])).code).toBe(0);
    // A reader inside one long read transaction (as a slow query or an open TUI screen is),
    // held well past any lock timeout while the import runs and commits.
    const reader = new Database(db, { readonly: true });
    reader.exec('BEGIN');
    const before = reader.prepare('SELECT count(*) AS n FROM execs').get() as { n: number };
    const imp = startPedigree(['import', big, '--db', db, '-q']);
    const importEnd = await imp.done;
    expect({ code: importEnd.code, stderr: imp.stderr() }).toEqual({ code: 0, stderr: '' });
    // The reader still sees the case as it was when its transaction began.
    expect(reader.prepare('SELECT count(*) AS n FROM execs').get()).toEqual(before);
    reader.exec('COMMIT');
    reader.close();
    expect(captureRows(db)).toHaveLength(2);
    expect(integrityCheck(db)).toBe('ok');
  }, 180_000);

  it('the same file imported twice at once: one imports it, the other finds it already imported', async () => {
    const db = tmp.path('twice.db');
    const a = startPedigree(['import', big, '--db', db, '--json']);
    const b = startPedigree(['import', big, '--db', db, '--json']);
    const [ea, eb] = await Promise.all([a.done, b.done]);
    expect([ea.code, eb.code]).toEqual([0, 0]);
    for (const stderr of [a.stderr(), b.stderr()]) expect(stderr).toMatch(/^(|pedigree: waiting for the import of .* \(pid \d+\) to finish\n)$/);
    const outcomes = [a.stdout(), b.stdout()].map((s) => (JSON.parse(s) as { outcome: string }[])[0]?.outcome).sort();
    expect(outcomes).toEqual(['already imported', 'imported']);
    expect(captureRows(db)).toHaveLength(1);
    expect(integrityCheck(db)).toBe('ok');
  }, 180_000);
});

/** The process state letter from /proc (T when stopped). */
function readState(pid: number | undefined): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '?';
  }
}
