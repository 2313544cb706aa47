import { mkdirSync, readdirSync, readlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { HAVE_DATASETS } from '../readers/sample-case.js';
import { tempDir } from '../support/temp-case.js';
import { captureRows, cli, integrityCheck, startPedigree, waitFor, writeScaledTetragon } from './support.js';

/**
 * The running processes an import parks out of memory live in SQLite's private temporary
 * database: a file deleted as soon as it is opened. An import killed while it holds parked
 * processes leaves the case as it was and no file behind.
 */
describe.skipIf(!HAVE_DATASETS)('an import killed while processes are parked', () => {
  const tmp = tempDir('pedigree-parking-kill-');
  afterAll(() => tmp.cleanup());

  const scaledTetragon = (copies: number): string => writeScaledTetragon(tmp.path(`tetragon-${copies}.json`), copies);

  /** Files the process has open under `dir`, as /proc shows them (a deleted one ends in ' (deleted)'). */
  function openFilesUnder(pid: number, dir: string): string[] {
    try {
      return readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return readlinkSync(`/proc/${pid}/fd/${fd}`);
          } catch {
            return '';
          }
        })
        .filter((target) => target.startsWith(`${dir}/`));
    } catch {
      return [];
    }
  }

  for (const worker of ['0', '1'] as const) {
    it(`by SIGKILL leaves the case as it was and no temporary file (${worker === '1' ? 'read in a worker' : 'one thread'})`, async () => {
      const db = tmp.path(`case-${worker}.db`);
      expect((await cli(['import', scaledTetragon(2), '--format', 'tetragon', '--db', db, '-q'])).code).toBe(0);
      const sqliteTmp = tmp.path(`sqlite-tmp-${worker}`);
      mkdirSync(sqliteTmp);
      const child = startPedigree(['import', scaledTetragon(20_000), '--format', 'tetragon', '--db', db, '-q'], {
        PEDIGREE_LIVE_PROCESS_CAP: '64',
        PEDIGREE_IMPORT_WORKER: worker,
        SQLITE_TMPDIR: sqliteTmp,
      });
      const pid = child.proc.pid as number;
      // The parked processes outgrow the store's page cache: its file is open, already deleted.
      let open: string[] = [];
      await waitFor(() => (open = openFilesUnder(pid, sqliteTmp)).length > 0, 60_000, 'the parking store to write its file');
      expect(open.every((target) => target.endsWith(' (deleted)'))).toBe(true);
      expect(readdirSync(sqliteTmp)).toEqual([]);
      child.proc.kill('SIGKILL');
      expect((await child.done).signal).toBe('SIGKILL');
      expect(readdirSync(sqliteTmp)).toEqual([]);
      expect(integrityCheck(db)).toBe('ok');
      expect(captureRows(db).map((c) => c.status)).toEqual(['complete']);
    }, 180_000);
  }
});
