import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { PedigreeError } from '../util/errors.js';
import { checkCasePath, hasCaseSchema, rollBackHotJournal } from './case-file.js';
import { openCaseForWrite } from './open.js';
import { readSchemaState, refuseNewerSchema } from './schema-version.js';

export interface UpgradeResult {
  /** The case's schema before, e.g. 003_chains.sql. */
  from: string | null;
  /** Its schema after: the last migration this pedigree has. */
  to: string | null;
  /** Migrations applied, in order; empty when the case was already current. */
  applied: string[];
  /** Where the copy of the case as it was is, when one was made. */
  backup: string | null;
}

/**
 * Brings a case written by an earlier pedigree up to this one's schema. The pending migrations
 * run in one transaction (migrate.ts), so a failure leaves the case exactly as it was; before
 * that, unless told not to, an online backup keeps a copy of the case as it was at CASE.bak.
 */
export async function upgradeCase(path: string, options: { backup: boolean }): Promise<UpgradeResult> {
  checkCasePath(path, true);
  rollBackHotJournal(path);
  const reader = new Database(path, { readonly: true, fileMustExist: true });
  let state: ReturnType<typeof readSchemaState>;
  let backup: string | null = null;
  try {
    if (!hasCaseSchema(reader)) throw new PedigreeError('DB_SCHEMA', `${path} is not a pedigree case database`);
    state = readSchemaState(reader);
    refuseNewerSchema(reader, path, state);
    if (state.pending.length === 0) return { from: state.version, to: state.version, applied: [], backup: null };
    if (options.backup) {
      backup = `${path}.bak`;
      if (existsSync(backup)) {
        throw new PedigreeError('USAGE', `${backup} already exists (a copy from an earlier upgrade?); move it away, or upgrade with --no-backup`);
      }
      await reader.backup(backup);
    }
  } finally {
    reader.close();
  }
  const db = openCaseForWrite(path);
  try {
    const after = readSchemaState(db);
    const applied = after.applied.filter((name) => !state.applied.includes(name));
    return { from: state.version, to: after.version, applied, backup };
  } finally {
    db.close();
  }
}
