import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';
import { HAVE_DATASETS } from '../readers/sample-case.js';
import { captureRows, integrityCheck, writeScaledTetragon } from './support.js';

/**
 * Evidence in which processes never exit (this Tetragon export has no process_exit) keeps every
 * process running in the linker's table. Past a share of the heap the linker parks the least
 * recently used in a temporary database, so the import completes in a small heap. The memory
 * stop stays behind it: with the cap raised past what the process may hold, the import stops
 * with a one-line error that says why and what to do, and the case stays as it was: not V8's
 * "JavaScript heap out of memory" abort.
 */
describe.skipIf(!HAVE_DATASETS)('an import that outgrows its memory', () => {
  const tmp = tempDir('pedigree-memory-');
  afterAll(() => tmp.cleanup());

  const scaledTetragon = (copies: number): string => writeScaledTetragon(tmp.path(`tetragon-${copies}.json`), copies);

  /** `cap`: the linker's in-memory process cap (PEDIGREE_LIVE_PROCESS_CAP), else its default. */
  function importWithHeap(file: string, db: string, heapMb: number, worker: '0' | '1', cap?: number) {
    const env: NodeJS.ProcessEnv = { ...process.env, PEDIGREE_IMPORT_WORKER: worker };
    if (cap === undefined) delete env.PEDIGREE_LIVE_PROCESS_CAP;
    else env.PEDIGREE_LIVE_PROCESS_CAP = String(cap);
    return spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, BIN, 'import', file, '--format', 'tetragon', '--db', db, '--json', '-q'], {
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
  }

  /** No cap reached: every running process stays in memory. */
  const NO_CAP = 100_000_000;

  /** 30,000 copies: ~180k processes that never exit, well past what a 160 MB heap holds. */
  const bigFile = (): string => (existsSync(tmp.path('tetragon-30000.json')) ? tmp.path('tetragon-30000.json') : scaledTetragon(30_000));

  for (const worker of ['0', '1'] as const) {
    it(`stops with exit 71 and leaves the case as it was (${worker === '1' ? 'read in a worker' : 'one thread'})`, () => {
      const db = tmp.path(`case-${worker}.db`);
      const small = scaledTetragon(2);
      expect(importWithHeap(small, db, 160, worker).status).toBe(0);
      const big = bigFile();
      const r = importWithHeap(big, db, 160, worker, NO_CAP);
      expect(r.stderr).toMatch(
        /^pedigree: .*tetragon-30000\.json: the import stopped after [\d,]+ events: it holds [\d,]+ running processes .*nothing was written\. Give it more with NODE_OPTIONS=--max-old-space-size=MB/,
      );
      expect(r.stderr).not.toMatch(/heap out of memory|FATAL|at .*\.js:\d+/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.status).toBe(71);
      expect(integrityCheck(db)).toBe('ok');
      expect(captureRows(db).map((c) => c.status)).toEqual(['complete']);
    }, 180_000);
  }

  const counts = (stdout: string) => {
    const [r] = JSON.parse(stdout) as { events: number; processes: number; execs: number; status: string }[];
    return { events: r?.events, processes: r?.processes, execs: r?.execs, status: r?.status };
  };
  let enough: ReturnType<typeof counts> | undefined;

  it('the same file imports when the process may use enough memory', () => {
    const db = tmp.path('enough.db');
    const big = bigFile();
    const r = importWithHeap(big, db, 1024, '0', NO_CAP);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(captureRows(db).map((c) => c.status)).toEqual(['complete']);
    enough = counts(r.stdout);
    expect(enough.processes).toBeGreaterThan(150_000);
  }, 180_000);

  for (const worker of ['0', '1'] as const) {
    it(`imports it in the small heap too, parking what does not fit (${worker === '1' ? 'read in a worker' : 'one thread'})`, () => {
      const db = tmp.path(`parked-${worker}.db`);
      const r = importWithHeap(bigFile(), db, 160, worker);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(enough).toBeDefined();
      expect(counts(r.stdout)).toEqual(enough);
      expect(integrityCheck(db)).toBe('ok');
    }, 180_000);
  }
});
