import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateJsonl } from '../../bench/lib/generate-jsonl.js';
import { tempDir } from '../support/temp-case.js';
import { captureRows, cli, integrityCheck, startPedigree, STORY_JSONL, waitFor } from './support.js';

/** Read commands that answer on any case, empty or not. */
function anyCaseReads(db: string): string[][] {
  return [
    ['captures', '--db', db],
    ['containers', '--db', db],
    ['ps', '--db', db],
    ['tree', '--db', db],
    ['execs', '-p', '%proc.name %proc.pname', '--db', db],
    ['query', 'SELECT count(*) AS n FROM execs', '--db', db],
  ];
}

function journalMode(db: string): string {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.pragma('journal_mode', { simple: true }) as string;
  } finally {
    conn.close();
  }
}

/**
 * The first import into an empty case is written with a rollback journal (pages once, no WAL to
 * copy at the end): it must stay as atomic as any import, leave the case in WAL, and whoever
 * opens the case while it holds it exclusively waits for it instead of failing.
 */
describe("an empty case's first import", () => {
  const tmp = tempDir('pedigree-first-import-');
  const big = tmp.path('big.jsonl');
  // Past the 16 MiB page cache of a load into empty tables (bulk-indexes.ts): its pages spill into the case.
  const large = tmp.path('large.jsonl');

  beforeAll(async () => {
    await generateJsonl(big, { execs: 15_000, seed: 7 });
    await generateJsonl(large, { execs: 100_000, seed: 8 });
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('runs with a rollback journal, readers of the empty case meanwhile still answer, and the case is WAL afterwards', async () => {
    const db = tmp.path('stopped.db');
    const child = startPedigree(['import', big, '--db', db, '-q'], { PEDIGREE_FAULT: 'read, link and insert:SIGSTOP' });
    try {
      await waitFor(() => existsSync(`${db}-writer`) && child.stderr() === '' && isStopped(child.proc.pid), 60_000, 'the import to stop mid-transaction');
      expect(existsSync(`${db}-journal`)).toBe(true);
      expect(existsSync(`${db}-wal`)).toBe(false);
      // Its pages are still in its cache (below the cache's size): the case is only reserved.
      for (const args of anyCaseReads(db)) {
        const r = await cli(args);
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
      }
      expect(captureRows(db)).toEqual([]);
      child.proc.kill('SIGCONT');
      expect(await child.done).toEqual({ code: 0, signal: null });
    } finally {
      child.proc.kill('SIGCONT');
      child.proc.kill('SIGKILL');
    }
    expect(journalMode(db)).toBe('wal');
    expect(existsSync(`${db}-journal`)).toBe(false);
    expect(captureRows(db).map((c) => c.status)).toEqual(['complete']);
    expect(integrityCheck(db)).toBe('ok');
    // The next import into the case is an ordinary WAL import.
    expect((await cli(['import', STORY_JSONL, '--db', db, '-q'])).code).toBe(0);
    expect(journalMode(db)).toBe('wal');
    expect(captureRows(db).map((c) => c.status)).toEqual(['complete', 'complete']);
  }, 120_000);

  for (const phase of ['read, link and insert', 'build indexes']) {
    it(`killed after "${phase}" leaves the case empty, readable by every command at once, and takes the file afterwards`, async () => {
      const db = tmp.path(`killed-${phase.replace(/\W+/g, '-')}.db`);
      const child = startPedigree(['import', big, '--db', db, '-q'], { PEDIGREE_FAULT: `${phase}:SIGKILL` });
      expect((await child.done).signal).toBe('SIGKILL');
      expect(existsSync(`${db}-journal`)).toBe(true);
      await expectEmptyCaseThatTakesTheFile(db);
    }, 120_000);
  }

  it('killed after its page cache spilled into the case leaves a hot journal, which the first reader rolls back', async () => {
    const db = tmp.path('spilled.db');
    const child = startPedigree(['import', large, '--db', db, '-q'], { PEDIGREE_FAULT: 'read, link and insert:SIGKILL' });
    expect((await child.done).signal).toBe('SIGKILL');
    expect(statSync(db).size).toBeGreaterThan(8 * 1024 * 1024); // the import's pages reached the case file
    expect(readFileSync(`${db}-journal`).readUInt32BE(0)).toBe(0xd9d505f9); // a synced (hot) journal
    await expectEmptyCaseThatTakesTheFile(db);
    expect(existsSync(`${db}-journal`)).toBe(false);
  }, 120_000);

  /** Every read command answers at once (no writer opening the case first), on an empty case that then imports the file whole. */
  async function expectEmptyCaseThatTakesTheFile(db: string): Promise<void> {
    for (const args of anyCaseReads(db)) {
      const r = await cli(args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    expect(integrityCheck(db)).toBe('ok');
    expect(captureRows(db)).toEqual([]);
    const count = await cli(['query', 'SELECT (SELECT count(*) FROM processes) + (SELECT count(*) FROM exec_rows) AS n', '--db', db, '--json']);
    expect(JSON.parse(count.stdout)).toEqual([{ n: 0 }]);
    expect((await cli(['import', big, '--db', db, '-q'])).code).toBe(0);
    expect(captureRows(db).map((c) => c.status)).toEqual(['complete']);
    expect(journalMode(db)).toBe('wal');
    expect(integrityCheck(db)).toBe('ok');
  }

  it('a reader or a second importer opening the case while it holds it exclusively waits, saying for whom, then runs', async () => {
    const db = tmp.path('held.db');
    // Stopped after the load: its cache has spilled into the case, which it now holds exclusively.
    const first = startPedigree(['import', large, '--db', db, '-q'], { PEDIGREE_FAULT: 'read, link and insert:SIGSTOP' });
    try {
      await waitFor(() => isStopped(first.proc.pid), 60_000, 'the import to stop mid-transaction');
      const reader = startPedigree(['captures', '--db', db]);
      const importer = startPedigree(['import', STORY_JSONL, '--db', db, '-q']);
      const waiting = `pedigree: waiting for the import of ${large} (pid ${first.proc.pid}) to finish\n`;
      await waitFor(() => reader.stderr() === waiting && importer.stderr() === waiting, 60_000, `"${waiting}" from both`);
      await new Promise((r) => setTimeout(r, 1_500));
      expect([reader.proc.exitCode, importer.proc.exitCode]).toEqual([null, null]); // still waiting, not failed
      first.proc.kill('SIGCONT');
      expect(await first.done).toEqual({ code: 0, signal: null });
      expect(await reader.done).toEqual({ code: 0, signal: null });
      expect(reader.stdout()).toContain('large.jsonl');
      expect(await importer.done).toEqual({ code: 0, signal: null });
      expect(importer.stderr()).toBe(waiting);
    } finally {
      first.proc.kill('SIGCONT');
      first.proc.kill('SIGKILL');
    }
    expect(captureRows(db).map((c) => c.status)).toEqual(['complete', 'complete']);
    expect(journalMode(db)).toBe('wal');
    expect(integrityCheck(db)).toBe('ok');
  }, 120_000);
});

function isStopped(pid: number | undefined): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
  } catch {
    return false;
  }
}
