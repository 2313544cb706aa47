import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupStraceFfFiles } from '../capture/strace/ff-group.js';
import { type Db, openCaseForWrite } from '../db/open.js';
import { copyCaseToPostgres } from '../db/postgres/copy-to-postgres.js';
import type { ImportResult } from '../importer/import-file.js';

/**
 * Imports into a PostgreSQL case: each capture is read into a scratch SQLite case by the usual
 * importer, then copied in with COPY in one transaction (ids from the target's sequences, an
 * advisory lock per host). Sources of one host are merged within a file group, not with what
 * the PostgreSQL case already holds.
 */
export async function importIntoPostgres(
  url: string,
  files: string[],
  importOne: (db: Db, file: string, siblings: string[]) => Promise<ImportResult>,
): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const [file, ...siblings] of groupStraceFfFiles(files) as [string, ...string[]][]) {
    const dir = mkdtempSync(join(tmpdir(), 'pedigree-import-'));
    try {
      const scratch = openCaseForWrite(join(dir, 'capture.db'));
      let result: ImportResult;
      try {
        result = await importOne(scratch, file, siblings);
      } finally {
        scratch.close();
      }
      const src = openCaseForWrite(join(dir, 'capture.db'));
      try {
        const copied = await copyCaseToPostgres(src, url, file, { skipKnown: true });
        results.push(
          copied.alreadyThere
            ? { ...result, outcome: 'already in the case', processes: 0, execs: 0 }
            : { ...result, captureId: copied.captureId(result.captureId) },
        );
      } finally {
        src.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}
