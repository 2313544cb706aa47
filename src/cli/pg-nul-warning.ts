import type pg from 'pg';
import { nulWarning, takeNulReplacements } from '../db/postgres/pg-text-nul.js';
import type { ImportResult } from '../importer/import-file.js';
import { describeLocation } from '../util/errors.js';

/** Forgets NULs counted by an attempt that was rolled back. */
export function startCountingNuls(): void {
  takeNulReplacements();
}

/**
 * Inside the import's transaction: when text values of this capture had NULs stood in for
 * (pg-text-nul.ts), the capture gets a warning saying so, which is also printed.
 */
export async function warnOfNulReplacements(client: pg.Client, captureId: number | bigint, result: ImportResult): Promise<ImportResult> {
  const values = takeNulReplacements();
  if (values === 0) return result;
  const message = nulWarning(values);
  await client.query('INSERT INTO capture_warnings (capture_id, line, byte_offset, message) VALUES ($1, NULL, NULL, $2)', [String(captureId), message]);
  await client.query('UPDATE captures SET warning_count = warning_count + 1 WHERE capture_id = $1', [String(captureId)]);
  process.stderr.write(`warning: ${describeLocation({ file: result.path })}: ${message}\n`);
  return { ...result, warnings: result.warnings + 1 };
}
