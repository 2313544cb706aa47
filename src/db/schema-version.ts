import type Database from 'better-sqlite3';
import { PedigreeError } from '../util/errors.js';
import { hasCaseSchema } from './case-file.js';
import { listMigrations, SCHEMA_DIR } from './migrate.js';

/** Where a case's schema stands against the schema files of this pedigree. */
export interface SchemaState {
  /** Migrations recorded in the case, in order. */
  applied: string[];
  /** Migration files here that the case has not had yet (it was written by an earlier pedigree). */
  pending: string[];
  /** Migrations recorded in the case that no file here knows (it was written by a newer pedigree). */
  unknown: string[];
  /** The last migration the case records, e.g. 003_chains.sql; null when it records none. */
  version: string | null;
  /** The last migration file this pedigree has. */
  latestKnown: string | null;
}

export function readSchemaState(db: Database.Database, dir: string = SCHEMA_DIR): SchemaState {
  const files = listMigrations(dir).map((m) => m.name);
  const applied = hasCaseSchema(db) ? (db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all() as string[]) : [];
  const recorded = new Set(applied);
  const known = new Set(files);
  return {
    applied,
    pending: files.filter((f) => !recorded.has(f)),
    unknown: applied.filter((a) => !known.has(a)),
    version: applied.at(-1) ?? null,
    latestKnown: files.at(-1) ?? null,
  };
}

/** A path as the user would type it back into a shell. */
function shellWord(path: string): string {
  return /^[\w./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** Refuses a case written by a newer pedigree: reading it could misreport, writing could corrupt. */
export function refuseNewerSchema(db: Database.Database, path: string, state: SchemaState = readSchemaState(db)): void {
  if (state.unknown.length === 0) return;
  throw new PedigreeError(
    'DB_SCHEMA',
    `${path} was written by a newer pedigree (schema ${state.unknown.join(', ')}; this one knows up to ${state.latestKnown ?? 'none'}); open it with that pedigree or a newer one`,
  );
}

/**
 * Read-only commands cannot upgrade a case (they never write evidence), so a case written by
 * an earlier pedigree stops them with the command that upgrades it, not with SQLite's
 * "no such table" halfway through a query.
 */
export function requireCurrentSchema(db: Database.Database, path: string): void {
  const state = readSchemaState(db);
  refuseNewerSchema(db, path, state);
  if (state.pending.length === 0) return;
  const word = shellWord(path);
  throw new PedigreeError(
    'DB_SCHEMA',
    `${path} was written by an earlier pedigree (schema ${state.version ?? 'none recorded'}); upgrade it once with \`pedigree db upgrade --db ${word}\` (it keeps a copy as ${path}.bak unless --no-backup)`,
  );
}
