import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCaseForWrite, openCaseReadOnly } from '../../src/db/open.js';
import { tempDir } from '../support/temp-case.js';

const tmp = tempDir();
const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Another process holds the case in a rollback journal for `holdMs` and says when it has it, as the
 * first import into an empty case does: writing (IMMEDIATE), and exclusively once its cache spills.
 */
function holdInRollbackJournal(path: string, lock: 'IMMEDIATE' | 'EXCLUSIVE', holdMs: number): Promise<{ released: Promise<number> }> {
  const script = `
    const Database = require(${JSON.stringify(betterSqlite3)});
    const db = new Database(${JSON.stringify(path)});
    db.pragma('journal_mode = delete');
    db.exec('BEGIN ${lock}');
    db.exec('CREATE TABLE held_by_test (x)');
    process.stdout.write('held\\n');
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, ${holdMs});`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('held')) resolve({ released });
    });
    child.on('exit', (code) => reject(new Error(`the holding process exited (${code}) before it held the case`)));
  });
}

describe('opening a case another process holds in a rollback journal', () => {
  afterEach(() => vi.restoreAllMocks());

  // Writing while the holder writes is where SQLite answers "busy" at once instead of waiting: the
  // switch to WAL could deadlock with the holder's own wait for its exclusive lock.
  for (const [name, open, lock] of [
    ['for writing, while it writes', openCaseForWrite, 'IMMEDIATE'],
    ['for writing, while it holds the case exclusively', openCaseForWrite, 'EXCLUSIVE'],
    ['read-only, while it holds the case exclusively', openCaseReadOnly, 'EXCLUSIVE'],
  ] as const) {
    it(`${name}: waits for it, says for whom, and opens the case in WAL afterwards`, async () => {
      const path = tmp.path(`held-${name.replace(/\W/g, '')}.db`);
      openCaseForWrite(path).close();
      const holder = await holdInRollbackJournal(path, lock, 3_000);
      const said: string[] = [];
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        said.push(String(chunk));
        return true;
      });
      const started = Date.now();
      const db = open(path);
      const waitedMs = Date.now() - started;
      vi.restoreAllMocks();
      try {
        expect(await holder.released).toBe(0);
        expect(waitedMs).toBeGreaterThan(500);
        expect(said.join('')).toMatch(/^pedigree: waiting for another process writing to the case to finish\n$/);
        // What the holder rolled back is not there; the case is readable.
        expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'held_by_test'").get()).toEqual({ n: 0n });
      } finally {
        db.close();
      }
      if (open === openCaseForWrite) {
        const again = openCaseReadOnly(path);
        expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
        again.close();
      }
    }, 30_000);
  }
});
