import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCaseForWrite } from '../../src/db/open.js';
import { importFile } from '../../src/importer/import-file.js';
import { HAVE_CAPTURES, captureFiles, truthFormat } from './shared-captures.js';
import { runPedigree } from '../support/run-cli.js';

/**
 * Where pedigree deliberately prints something else than sysdig 0.29.3 (docs/conformance.md).
 * Every entry must still occur, so the list cannot go stale.
 */
const DOCUMENTED_DIFFERENCES: Record<string, { evtNum: string; field: string; sysdig: string; pedigree: string }[]> = {
  // CLONE_PARENT: runc:[0:PARENT] 7549 clones 7550 with CLONE_PARENT and exits. sysdig keeps the
  // clone caller as parent; pedigree takes the kernel parent from the child-side clone event (7539).
  'sfcollector__mpm-preforked_full_capture.scap': [
    { evtNum: '3660', field: 'proc.ppid', sysdig: '7549', pedigree: '7539' },
    { evtNum: '3850', field: 'proc.ppid', sysdig: '7549', pedigree: '7539' },
  ],
};

const workDir = mkdtempSync(join(tmpdir(), 'pedigree-conformance-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe.skipIf(!HAVE_CAPTURES)('scap conformance with sysdig 0.29.3 on the real captures', () => {
  const format = HAVE_CAPTURES ? truthFormat() : '';
  const fields = format
    .replace(/^\*/, '')
    .split('\\t')
    .map((f) => f.replace(/^%/, ''));
  const files = captureFiles();

  it('has the 20 shared captures to compare', () => {
    expect(files.length).toBe(20);
  });

  for (const file of files) {
    const name = basename(file);
    it(`${name}: execs -p matches the truth rows`, async () => {
      const dbPath = join(workDir, `${name}.db`);
      const db = openCaseForWrite(dbPath);
      try {
        const result = await importFile(db, file);
        expect(result.status).toBe('complete');
      } finally {
        db.close();
      }
      const run = runPedigree(['execs', '--db', dbPath, '-p', format]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);

      const truth = readFileSync(`${file}.truth.tsv`, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      expect(truth[0]?.split('\t')).toEqual(fields);
      const want = truth.slice(1).map((l) => l.split('\t'));
      const got = run.stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t'));
      expect(got.map((r) => r[0])).toEqual(want.map((r) => r[0]));

      const differences: { evtNum: string; field: string; sysdig: string; pedigree: string }[] = [];
      want.forEach((row, i) => {
        row.forEach((value, col) => {
          const mine = got[i]?.[col];
          if (mine !== value) differences.push({ evtNum: row[0] ?? '', field: fields[col] ?? '', sysdig: value, pedigree: mine ?? '(missing)' });
        });
      });
      expect(differences).toEqual(DOCUMENTED_DIFFERENCES[name] ?? []);
    });
  }
});
